package dev.taskqueue.worker.internal;

import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedFailuresTests {

	private final List<Object[]> errors = new ArrayList<>();

	private final Log log = (Log) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Log.class },
			(proxy, method, args) -> {
				if (method.getName().equals("error")) {
					this.errors.add(args);
				}
				return (method.getReturnType() == boolean.class) ? true : null;
			});

	private long now = 1_000;

	private final RepeatedFailures failures = new RepeatedFailures(() -> this.now);

	@Test
	void theSameCauseIsTracedOnceAMinuteAndLoggedAsOneLineInBetween() {
		RuntimeException outage = new IllegalStateException("store failed", new ConnectException("Connection refused"));
		this.failures.error(this.log, "Could not finish message 1", outage);
		this.now += TimeUnit.SECONDS.toNanos(59);
		this.failures.error(this.log, "Could not finish message 2", outage);
		this.now += TimeUnit.SECONDS.toNanos(1);
		this.failures.error(this.log, "Could not finish message 3", outage);
		assertThat(this.errors).hasSize(3);
		assertThat(this.errors.get(0)).containsExactly("Could not finish message 1", outage);
		assertThat(this.errors.get(1)).hasSize(1);
		assertThat((String) this.errors.get(1)[0]).startsWith(
				"Could not finish message 2: java.net.ConnectException: " + "Connection refused (the stack trace");
		assertThat(this.errors.get(2)).containsExactly("Could not finish message 3", outage);
	}

	@Test
	void aDifferentCauseIsTracedAtOnce() {
		RuntimeException outage = new IllegalStateException(new ConnectException("Connection refused"));
		RuntimeException bug = new IllegalArgumentException("bad");
		this.failures.error(this.log, "first", outage);
		this.failures.error(this.log, "second", bug);
		assertThat(this.errors).extracting((args) -> args.length).containsExactly(2, 2);
	}

}
