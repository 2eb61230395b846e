package dev.taskqueue.client.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a sent signature produced, as Celery's result objects: a task (its id, and the
 * result it hangs from, e.g. a chord body's header group) or a group (its id and
 * members).
 *
 * @param id the task or group id
 * @param parent the result this one follows, or {@code null}
 * @param members a group's members, or {@code null} for a task
 */
public record ResultNode(String id, @Nullable ResultNode parent, @Nullable List<ResultNode> members) {

	static ResultNode task(String id) {
		return new ResultNode(id, null, null);
	}

	/**
	 * Return whether this is a group.
	 * @return whether this is a group
	 */
	public boolean isGroup() {
		return this.members != null;
	}

	/**
	 * Return the members' ids (a group), or this id alone.
	 * @return the members' ids (a group), or this id alone
	 */
	public List<String> memberIds() {
		List<ResultNode> members = this.members;
		return (members != null) ? members.stream().map(ResultNode::id).toList() : List.of(this.id);
	}

	/**
	 * The result a parent task records among its children when it sends this: the
	 * outermost result, e.g. the header group of a chord (Celery's {@code add_trail}).
	 * @return the outermost result
	 */
	public ResultNode outermost() {
		ResultNode node = this;
		while (node.parent != null) {
			node = node.parent;
		}
		return node;
	}

	/**
	 * Celery's {@code as_tuple()}: {@code [[id, parent], null]} for a task,
	 * {@code [[id, parent], [members...]]} for a group; the form stored in
	 * {@code children}.
	 * @return the tuple
	 */
	public List<@Nullable Object> toTuple() {
		ResultNode parent = this.parent;
		List<@Nullable Object> head = Arrays.asList(this.id, (parent != null) ? parent.toTuple() : null);
		List<ResultNode> members = this.members;
		if (members == null) {
			return Arrays.asList(head, null);
		}
		List<Object> tuples = new ArrayList<>(members.size());
		members.forEach((member) -> tuples.add(member.toTuple()));
		return Arrays.asList(head, tuples);
	}

}
