package dev.taskqueue.test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions about the sent tasks of one name. Each condition keeps the tasks that meet
 * it and fails if none does, so conditions chain: {@code sent("worker.divide")
 * .withArgs(16, 2).onQueue("divide").once()} checks that exactly one task sent with those
 * arguments went to that queue. Argument values are compared as JSON values.
 */
public class SentTasksAssert extends AbstractAssert<SentTasksAssert, List<SentTask>> {

	private final String name;

	private final String conditions;

	SentTasksAssert(String name, List<SentTask> tasks) {
		this(name, tasks, "");
	}

	private SentTasksAssert(String name, List<SentTask> tasks, String conditions) {
		super(tasks, SentTasksAssert.class);
		this.name = name;
		this.conditions = conditions;
	}

	/**
	 * Keep the tasks sent with exactly these positional arguments.
	 * @param args the arguments
	 * @return assertions about those tasks
	 */
	public SentTasksAssert withArgs(@Nullable Object... args) {
		List<@Nullable Object> expected = Arrays.asList(args);
		return filter("with args " + expected, (task) -> JsonValues.same(expected, task.args()));
	}

	/**
	 * Keep the tasks sent with exactly these keyword arguments.
	 * @param kwargs the keyword arguments
	 * @return assertions about those tasks
	 */
	public SentTasksAssert withKwargs(Map<String, ?> kwargs) {
		return filter("with kwargs " + kwargs, (task) -> JsonValues.same(kwargs, task.kwargs()));
	}

	/**
	 * Keep the tasks sent with this keyword argument (and maybe others).
	 * @param key the argument's name
	 * @param value its value
	 * @return assertions about those tasks
	 */
	public SentTasksAssert withKwarg(String key, @Nullable Object value) {
		return filter("with kwarg " + key + "=" + value,
				(task) -> task.kwargs().containsKey(key) && JsonValues.same(value, task.kwargs().get(key)));
	}

	/**
	 * Keep the tasks routed to this queue.
	 * @param queue the queue
	 * @return assertions about those tasks
	 */
	public SentTasksAssert onQueue(String queue) {
		return filter("on queue '" + queue + "'", (task) -> task.queue().equals(queue));
	}

	/**
	 * Keep the tasks due at this time (an eta, or the send time plus the countdown).
	 * @param eta when they are due
	 * @return assertions about those tasks
	 */
	public SentTasksAssert dueAt(Instant eta) {
		return filter("due at " + eta, (task) -> task.eta() != null && task.eta().toInstant().equals(eta));
	}

	/**
	 * Keep the tasks that run as soon as a worker takes them (no eta, no countdown).
	 * @return assertions about those tasks
	 */
	public SentTasksAssert withoutEta() {
		return filter("without eta", (task) -> task.eta() == null);
	}

	/**
	 * Keep the tasks that carry a link (a callback) to this task.
	 * @param name the linked task's name
	 * @return assertions about those tasks
	 */
	public SentTasksAssert withLink(String name) {
		return filter("with link " + name,
				(task) -> task.links().stream().anyMatch((link) -> link.name().equals(name)));
	}

	/**
	 * Keep the tasks that carry an errback to this task.
	 * @param name the errback's task name
	 * @return assertions about those tasks
	 */
	public SentTasksAssert withErrback(String name) {
		return filter("with link_error " + name,
				(task) -> task.errbacks().stream().anyMatch((errback) -> errback.name().equals(name)));
	}

	/**
	 * Keep the tasks whose chain continues with exactly these steps, the next first.
	 * @param names the names of the later steps
	 * @return assertions about those tasks
	 */
	public SentTasksAssert withChain(String... names) {
		List<String> expected = List.of(names);
		return filter("with chain " + expected,
				(task) -> task.chain().stream().map(SentSignature::name).toList().equals(expected));
	}

	/**
	 * Keep the tasks sent as members of a group (or a chord's header).
	 * @return assertions about those tasks
	 */
	public SentTasksAssert inGroup() {
		return filter("in a group", (task) -> task.groupId() != null);
	}

	/**
	 * Keep the tasks that meet a condition of the test's own.
	 * @param description what the condition is, for the failure message
	 * @param condition the condition
	 * @return assertions about those tasks
	 */
	public SentTasksAssert matching(String description, Predicate<SentTask> condition) {
		return filter(description, condition);
	}

	/**
	 * Verify that exactly one task is left.
	 * @return this
	 */
	public SentTasksAssert once() {
		return times(1);
	}

	/**
	 * Verify how many tasks are left.
	 * @param count the expected count
	 * @return this
	 */
	public SentTasksAssert times(int count) {
		isNotNull();
		if (this.actual.size() != count) {
			failWithMessage("Expected task '%s'%s to be sent %d time(s), but it was sent %d time(s): %s", this.name,
					this.conditions, count, this.actual.size(), this.actual);
		}
		return this;
	}

	/**
	 * Return the one task left, to inspect it further.
	 * @return the task
	 */
	public SentTask single() {
		once();
		return this.actual.get(0);
	}

	private SentTasksAssert filter(String condition, Predicate<SentTask> test) {
		isNotNull();
		List<SentTask> kept = this.actual.stream().filter(test).toList();
		if (kept.isEmpty()) {
			failWithMessage("Expected task '%s'%s %s to be sent, but sent were: %s", this.name, this.conditions,
					condition, this.actual);
		}
		return new SentTasksAssert(this.name, kept, this.conditions + " " + condition);
	}

}
