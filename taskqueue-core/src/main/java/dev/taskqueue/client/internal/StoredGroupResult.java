package dev.taskqueue.client.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.taskqueue.client.GroupResult;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.internal.ResultBackend;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link GroupResult} whose members read the result store, and that saves itself there
 * in Celery's format.
 */
public final class StoredGroupResult implements GroupResult {

	private final String id;

	private final List<TaskResult> results;

	private final ResultBackend backend;

	/**
	 * Create a handle.
	 * @param id the group id
	 * @param memberIds the ids of the members, in order
	 * @param backend the result store
	 * @param mapper converts results to the types callers ask for
	 * @param client revokes members
	 */
	public StoredGroupResult(String id, List<String> memberIds, ResultBackend backend, JsonMapper mapper,
			TaskClient client) {
		this.id = id;
		List<TaskResult> results = new ArrayList<>(memberIds.size());
		for (String memberId : memberIds) {
			results.add(new StoredTaskResult(memberId, backend, mapper, client));
		}
		this.results = Collections.unmodifiableList(results);
		this.backend = backend;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public List<TaskResult> getResults() {
		return this.results;
	}

	@Override
	public GroupResult save() {
		this.backend.saveGroup(this.id, this.results.stream().map(TaskResult::getId).toList());
		return this;
	}

	@Override
	public void delete() {
		this.backend.deleteGroup(this.id);
	}

	@Override
	public String toString() {
		return "GroupResult[" + this.id + " " + this.results.stream().map(TaskResult::getId).toList() + "]";
	}

}
