package dev.taskqueue.docs.snippets.workflows;

import java.time.Duration;
import java.util.List;

import dev.taskqueue.client.GroupResult;
import dev.taskqueue.client.Signature;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskResult;

import org.springframework.stereotype.Component;

@Component
class Canvas {

	private final TaskClient client;

	Canvas(TaskClient client) {
		this.client = client;
	}

	void send() {
		// tag::canvas[]
		// chain: each step gets the previous result in front of its arguments;
		// the handle is the last task's
		TaskResult total = this.client
			.chain(Signature.of("tasks.add", 1, 2), Signature.of("tasks.add", 3), Signature.of("tasks.add", 4))
			.send(); // (1 + 2) + 3 + 4 = 10

		// group: members run in parallel under one group id;
		// results come back in member order
		GroupResult sums = this.client.group(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2))
			.queue("math")
			.send();
		List<Integer> values = sums.get(Duration.ofSeconds(10), Integer.class); // [2, 4]
		sums.save(); // later, anywhere: client.restoreGroup(sums.getId())

		// chord: the body runs once, with the header results in header order
		TaskResult sum = this.client
			.chord(List.of(Signature.of("tasks.add", 0, 0), Signature.of("tasks.add", 1, 1)),
					Signature.of("tasks.tsum"))
			.linkError(Signature.of("tasks.error_handler"))
			.send();
		// end::canvas[]
		total.getId();
		values.size();
		sum.getId();
	}

	void nest() {
		// tag::nesting[]
		Signature fetchAll = Signature.group(Signature.of("pages.fetch", "a"), Signature.of("pages.fetch", "b"));
		this.client.chain(fetchAll, Signature.of("pages.merge"), Signature.immutable("mail.send", "done"))
			.countdown(Duration.ofSeconds(5))
			.send(); // a group followed by a step is a chord: merge gets [page a, page b]
		// end::nesting[]
	}

}
