package dev.taskqueue.control.internal.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.control.internal.LamportClock;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.ratelimit.RateLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Commands}: what each command does to the worker and the node, and how bad
 * arguments are answered (Celery's error reprs, never an exception).
 */
class CommandsTests {

	private final EventDispatcher dispatcher = new EventDispatcher(new NoBrokerFactory(), new LamportClock());

	private final CapturedWorker worker = new CapturedWorker();

	private final RevokedTasks revoked = new RevokedTasks();

	private final WorkerEvents events = new WorkerEvents(this.dispatcher, CapturedWorker.NODE, this.worker);

	private final Commands commands = new Commands(CapturedWorker.NODE, this.worker, this.revoked, this.events,
			this.dispatcher.getClock(), CeleryVersion.V5_6, Map.of());

	@AfterEach
	void stopDispatcher() {
		this.dispatcher.destroy();
	}

	private Object run(String method, Object... keysAndValues) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			arguments.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return this.commands.handle(method, arguments);
	}

	@Test
	void revokeRemembersTheIdsAndTellsTheWorker() {
		assertThat(run("revoke", "task_id", List.of("a", "b"), "terminate", false, "signal", "SIGTERM"))
			.isEqualTo(Map.of("ok", "tasks {'a', 'b'} flagged as revoked"));
		assertThat(this.revoked.contains("a")).isTrue();
		assertThat(this.revoked.list()).containsExactly("a", "b");
		assertThat(this.worker.calls).containsExactly("revoke [a, b] null");
	}

	@Test
	void revokeWithTerminateTerminatesWhatRunsWithTheSignalNamed() {
		String running = this.worker.running.iterator().next();
		assertThat(run("revoke", "task_id", running, "terminate", true, "signal", "KILL"))
			.isEqualTo(Map.of("ok", "terminate: " + running));
		assertThat(this.worker.calls).containsExactly("revoke [" + running + "] SIGKILL");
		assertThat(run("terminate", "task_id", List.of("not-running"), "signal", 15))
			.isEqualTo(Map.of("ok", "terminate: tasks unknown"));
		assertThat(this.worker.calls).last().isEqualTo("revoke [not-running] SIGTERM");
	}

	@Test
	void signalsAreReadAsCelerysSignumReadsThem() {
		assertThat(Commands.signalName(null)).isEqualTo("SIGTERM");
		assertThat(Commands.signalName("SIGKILL")).isEqualTo("SIGKILL");
		assertThat(Commands.signalName("TERM")).isEqualTo("SIGTERM");
		assertThat(Commands.signalName(9)).isEqualTo("SIGKILL");
		assertThat(Commands.signum("SIGKILL")).isEqualTo(9);
		assertThat(run("revoke", "task_id", "x", "terminate", true, "signal", "kill"))
			.isEqualTo(Map.of("error", "TypeError('signal name must be uppercase string.')"));
		assertThat(run("revoke", "task_id", "x", "terminate", true, "signal", "FOO"))
			.isEqualTo(Map.of("error", "AttributeError(\"module 'signal' has no attribute 'SIGFOO'\")"));
	}

	@Test
	void wrongArgumentsGetTypeErrorsAndNothingHappens() {
		assertThat(run("revoke", "task_id", 5))
			.isEqualTo(Map.of("error", "TypeError(\"argument 'task_id' of revoke() must hold strings, not int\")"));
		assertThat(run("revoke"))
			.isEqualTo(Map.of("error", "TypeError(\"revoke() missing 1 required positional argument: 'task_id'\")"));
		assertThat(run("rate_limit", "task_name", List.of("x"), "rate_limit", "1/s"))
			.isEqualTo(Map.of("error", "TypeError(\"argument 'task_name' of rate_limit() must be str, not list\")"));
		assertThat(run("time_limit", "task_name", "specapp.add", "soft", "ten")).isEqualTo(
				Map.of("error", "TypeError(\"argument 'soft' of time_limit() must be a number of seconds, not str\")"));
		assertThat(this.commands.handle("ping", List.of("x")))
			.isEqualTo(Map.of("error", "TypeError('ping() argument after ** must be a mapping, not list')"));
		assertThat(this.revoked.size()).isZero();
		assertThat(this.worker.calls).isEmpty();
	}

	@Test
	void aHugeIdListIsRefusedWithoutRevokingAnything() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i <= Commands.MAX_IDS; i++) {
			ids.add("id-" + i);
		}
		assertThat(run("revoke", "task_id", ids)).isEqualTo(
				Map.of("error", "ValueError(\"argument 'task_id' of revoke() has 50001 items, more than 50000\")"));
		assertThat(this.revoked.size()).isZero();
	}

	@Test
	void unknownKeywordArgumentsAreIgnored() {
		assertThat(run("ping", "extra", 1)).isEqualTo(Map.of("ok", "pong"));
		assertThat(run("enable_events", "unexpected", true)).isEqualTo(Map.of("ok", "task events enabled"));
	}

	@Test
	void rateLimitAcceptsCelerysRatesAndTellsTheWorker() {
		assertThat(run("rate_limit", "task_name", "specapp.add", "rate_limit", "10/m"))
			.isEqualTo(Map.of("ok", "new rate limit set successfully"));
		assertThat(run("rate_limit", "task_name", "specapp.add", "rate_limit", 5))
			.isEqualTo(Map.of("ok", "new rate limit set successfully"));
		assertThat(run("rate_limit", "task_name", "specapp.add", "rate_limit", null))
			.isEqualTo(Map.of("ok", "rate limit disabled successfully"));
		assertThat(run("rate_limit", "task_name", "specapp.add", "rate_limit", "10/x"))
			.isEqualTo(Map.of("error", "KeyError('x')"));
		assertThat(this.worker.calls).containsExactly("rate_limit specapp.add " + RateLimit.parse("10/m").describe(),
				"rate_limit specapp.add " + RateLimit.parse("5/s").describe(), "rate_limit specapp.add null");
	}

	@Test
	void timeLimitsAndConsumersReachTheWorker() {
		assertThat(run("time_limit", "task_name", "specapp.add", "soft", 1.5, "hard", 3))
			.isEqualTo(Map.of("ok", "time limits set successfully"));
		assertThat(run("add_consumer", "queue", "extra")).isEqualTo(Map.of("ok", "add consumer extra"));
		assertThat(run("cancel_consumer", "queue", "extra")).isEqualTo(Map.of("ok", "no longer consuming from extra"));
		assertThat(this.worker.calls).containsExactly("time_limit specapp.add PT1.5S PT3S",
				"add_consumer " + ConsumedQueue.named("extra"), "cancel_consumer extra");
	}

	@Test
	void registeredListsPlainNamesUnlessItemsAreAsked() {
		assertThat(run("registered", "taskinfoitems", List.of()))
			.isEqualTo(List.of("specapp.add", "specapp.divide", "specapp.flaky", "specapp.rejecter", "specapp.sleepy"));
		assertThat((List<?>) run("registered", "taskinfoitems", List.of("acks_late", "rate_limit"))).first()
			.isEqualTo("specapp.add [acks_late=False]");
	}

	@Test
	void eventsAreSwitchedOnAndOffAndSayWhetherTheyChanged() {
		assertThat(run("enable_events")).isEqualTo(Map.of("ok", "task events enabled"));
		assertThat(this.events.isTaskEvents()).isTrue();
		assertThat(run("enable_events")).isEqualTo(Map.of("ok", "task events already enabled"));
		assertThat(run("disable_events")).isEqualTo(Map.of("ok", "task events disabled"));
		assertThat(run("disable_events")).isEqualTo(Map.of("ok", "task events already disabled"));
		assertThat(this.events.isTaskEvents()).isFalse();
	}

	@Test
	void aWorkerThatCannotResizeAnswersNotImplemented() {
		Commands fixed = new Commands(CapturedWorker.NODE, new ControlledWorker() {
		}, this.revoked, null, new LamportClock(), CeleryVersion.V5_6, Map.of());
		assertThat(fixed.handle("pool_grow", Map.of("n", 1)))
			.isEqualTo(Map.of("error", "NotImplementedError('the pool of this worker cannot be resized')"));
		assertThat(fixed.handle("shutdown", Map.of()))
			.isEqualTo(Map.of("error", "ValueError('Remote shutdown is refused by this worker')"));
		assertThat(fixed.handle("heartbeat", Map.of()))
			.isEqualTo(Map.of("error", "NotImplementedError('this node sends no events')"));
		assertThat(run("pool_grow", "n", -2)).isEqualTo(Map.of("error",
				"ValueError(\"argument 'n' of pool_grow() must be a whole number from 1 to 10000, got -2\")"));
	}

	@Test
	void helloMergesAnotherNodesIdsAndAnswersWithAllOfThem() {
		this.revoked.add("mine");
		long before = this.dispatcher.getClock().value();
		// A time on this machine's monotonic clock: a fixed one expires once uptime
		// passes
		// the three hours ids are kept.
		double revokedAt = RevokedTasks.monotonic() - 60;
		Object reply = run("hello", "from_node", "other@host", "revoked",
				Map.of("theirs", List.of(revokedAt, "theirs")));
		assertThat(reply).isInstanceOf(Map.class);
		Map<?, ?> sync = (Map<?, ?>) reply;
		assertThat(((Map<?, ?>) sync.get("revoked")).keySet()).isEqualTo(java.util.Set.of("mine", "theirs"));
		assertThat(((Map<?, ?>) sync.get("revoked")).get("theirs")).isEqualTo(List.of(revokedAt, "theirs"));
		assertThat(sync.get("clock")).isEqualTo(before + 1);
		assertThat(run("hello", "from_node", CapturedWorker.NODE)).isNull();
	}

	@Test
	void queryTaskFindsHeldTasksAndLeavesOutUnknownIds() {
		String running = this.worker.running.iterator().next();
		Map<?, ?> found = (Map<?, ?>) run("query_task", "ids", running);
		assertThat(found.keySet()).isEqualTo(java.util.Set.of(running));
		assertThat(((List<?>) found.get(running)).get(0)).isEqualTo("active");
		assertThat((Map<?, ?>) run("query_task", "ids", List.of("does-not-exist"))).isEmpty();
	}

	@Test
	void pythonDebuggingCommandsAreNotSupported() {
		assertThat(run("objgraph"))
			.isEqualTo(Map.of("error", "NotImplementedError('objgraph is a Python debugging command')"));
		assertThat(run("memsample")).asString().endsWith("MB");
		assertThat(run("election", "id", "e", "topic", "t")).isNull();
	}

	@Test
	void aWorkerNameBecomesACeleryNodeName() {
		assertThat(PidboxNode.nodeName("billing@host-1")).isEqualTo("billing@host-1");
		assertThat(PidboxNode.nodeName("billing"))
			.isEqualTo("billing@" + dev.taskqueue.protocol.internal.ProcessIdentity.hostname());
	}

	@Test
	void timeoutsInStatsAreCelerysSeconds() {
		Commands limited = new Commands(CapturedWorker.NODE, new ControlledWorker() {
			@Override
			public PoolInfo pool() {
				return new PoolInfo("threads", 4, Duration.ofMillis(1500), Duration.ofSeconds(3));
			}
		}, this.revoked, null, new LamportClock(), CeleryVersion.V5_6, Map.of());
		Map<?, ?> stats = (Map<?, ?>) limited.handle("stats", null);
		assertThat(((Map<?, ?>) stats.get("pool")).get("timeouts")).isEqualTo(List.of(1.5, 3L));
		assertThat(stats.get("clock")).isInstanceOf(String.class);
	}

}
