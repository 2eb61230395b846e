package dev.taskqueue.worker.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskqueue.worker.QueueTask;
import org.jspecify.annotations.Nullable;

/**
 * The tasks this application can run, by name.
 */
public class TaskRegistry {

	private final Map<String, TaskMethod> tasks = new ConcurrentHashMap<>();

	private final Map<String, String> serializers = new ConcurrentHashMap<>();

	/**
	 * Register a task.
	 * @param task the task
	 * @throws IllegalStateException if another method is registered under the same name
	 */
	public void register(TaskMethod task) {
		TaskMethod existing = this.tasks.putIfAbsent(task.getName(), task);
		if (existing != null && !existing.getMethod().equals(task.getMethod())) {
			throw new IllegalStateException(
					"Duplicate task name '" + task.getName() + "': declared by " + existing.describe() + " and by "
							+ task.describe() + ". Give one of them another name with @QueueTask(name = ...)");
		}
	}

	/**
	 * Find a task.
	 * @param name the task name
	 * @return the task, or {@code null} if none is registered under that name
	 */
	public @Nullable TaskMethod get(String name) {
		return this.tasks.get(name);
	}

	/**
	 * The queue a registered task names for itself.
	 * @param name the task name
	 * @return the queue, or {@code null}
	 */
	public @Nullable String queueOf(String name) {
		TaskMethod task = this.tasks.get(name);
		return (task != null) ? task.getQueue() : null;
	}

	/**
	 * Record the serializer a task is sent with unless a call chooses another (its
	 * {@link QueueTask#serializer()}).
	 * @param name the task name
	 * @param serializer a serializer name or content type
	 */
	public void setSerializer(String name, String serializer) {
		this.serializers.put(name, serializer);
	}

	/**
	 * The serializer a registered task names for itself.
	 * @param name the task name
	 * @return the serializer name or content type, or {@code null}
	 */
	public @Nullable String serializerOf(String name) {
		return this.serializers.get(name);
	}

	/**
	 * Return the serializers tasks name for themselves, by task name.
	 * @return the serializers tasks name for themselves, by task name
	 */
	public Map<String, String> getSerializers() {
		return Collections.unmodifiableMap(new TreeMap<>(this.serializers));
	}

	/**
	 * Return every registered task, sorted by name.
	 * @return every registered task, sorted by name
	 */
	public Collection<TaskMethod> getTasks() {
		return Collections.unmodifiableCollection(new TreeMap<>(this.tasks).values());
	}

}
