package dev.taskqueue.test.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ChordPart;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.result.internal.ResultCodec;
import dev.taskqueue.result.internal.ResultMeta;
import org.jspecify.annotations.Nullable;

/**
 * A result backend in memory. Each record is encoded with the real result codec when
 * stored and decoded when read, so a test sees what it would read from Redis (a result
 * that cannot be serialized fails as it would), and waiting for a stored result returns
 * at once.
 */
public final class InMemoryResultBackend implements ResultBackend {

	private final ResultCodec codec;

	private final Map<String, byte[]> results = new ConcurrentHashMap<>();

	private final Map<String, List<CompletableFuture<ResultMeta>>> waiting = new ConcurrentHashMap<>();

	private final Map<String, Integer> chordSizes = new ConcurrentHashMap<>();

	private final Map<String, List<Part>> chordParts = new ConcurrentHashMap<>();

	private final Map<String, List<String>> groups = new ConcurrentHashMap<>();

	private final Map<String, Long> redeliveredRuns = new ConcurrentHashMap<>();

	/**
	 * Create a backend that encodes records with this codec.
	 * @param codec the result codec
	 */
	public InMemoryResultBackend(ResultCodec codec) {
		this.codec = codec;
	}

	@Override
	public void store(ResultMeta meta) {
		byte[] encoded = this.codec.encodeBytes(meta);
		List<CompletableFuture<ResultMeta>> ready;
		synchronized (this) {
			this.results.put(meta.taskId(), encoded);
			ready = meta.status().isReady() ? this.waiting.remove(meta.taskId()) : null;
		}
		if (ready != null) {
			ResultMeta stored = this.codec.decode(meta.taskId(), encoded);
			ready.forEach((future) -> future.complete(stored));
		}
	}

	@Override
	public ResultMeta get(String taskId) {
		byte[] encoded = this.results.get(taskId);
		return (encoded != null) ? this.codec.decode(taskId, encoded) : ResultMeta.pending(taskId);
	}

	@Override
	public synchronized CompletableFuture<ResultMeta> whenReady(String taskId) {
		ResultMeta current = get(taskId);
		if (current.status().isReady()) {
			return CompletableFuture.completedFuture(current);
		}
		CompletableFuture<ResultMeta> future = new CompletableFuture<>();
		this.waiting.computeIfAbsent(taskId, (id) -> new CopyOnWriteArrayList<>()).add(future);
		return future;
	}

	@Override
	public long countRedeliveredRun(String taskId) {
		return this.redeliveredRuns.merge(taskId, 1L, Long::sum);
	}

	@Override
	public long getRedeliveredRuns(String taskId) {
		return this.redeliveredRuns.getOrDefault(taskId, 0L);
	}

	@Override
	public void setChordSize(String groupId, int size) {
		this.chordSizes.put(groupId, size);
	}

	@Override
	public synchronized @Nullable List<ChordPart> chordPartReturned(String groupId, @Nullable Integer groupIndex,
			String taskId, TaskState state, @Nullable Object result) {
		List<Part> parts = this.chordParts.computeIfAbsent(groupId, (id) -> new ArrayList<>());
		parts
			.add(new Part((groupIndex != null) ? groupIndex : Integer.MAX_VALUE, new ChordPart(taskId, state, result)));
		Integer size = this.chordSizes.get(groupId);
		if (size == null || parts.size() != size) {
			return null;
		}
		return parts.stream().sorted(Comparator.comparingInt(Part::index)).map(Part::part).toList();
	}

	@Override
	public void deleteChord(String groupId) {
		this.chordSizes.remove(groupId);
		this.chordParts.remove(groupId);
	}

	@Override
	public void saveGroup(String groupId, List<String> memberIds) {
		this.groups.put(groupId, List.copyOf(memberIds));
	}

	@Override
	public @Nullable List<String> restoreGroup(String groupId) {
		return this.groups.get(groupId);
	}

	@Override
	public void deleteGroup(String groupId) {
		this.groups.remove(groupId);
	}

	/**
	 * Forget every record.
	 */
	public synchronized void clear() {
		this.results.clear();
		this.chordSizes.clear();
		this.chordParts.clear();
		this.groups.clear();
		this.redeliveredRuns.clear();
	}

	private record Part(int index, ChordPart part) {

	}

}
