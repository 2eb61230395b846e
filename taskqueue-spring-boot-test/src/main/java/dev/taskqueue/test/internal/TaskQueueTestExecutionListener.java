package dev.taskqueue.test.internal;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Gives each test method a clean record: the sent tasks, stubs, dead letters and parked
 * messages of the previous test method (of the same cached application context) are
 * forgotten. Results stay: their ids are unique.
 */
public final class TaskQueueTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		context.getBeanProvider(DefaultTaskRecorder.class).ifAvailable(DefaultTaskRecorder::clear);
		context.getBeanProvider(TestPublisher.class).ifAvailable(TestPublisher::clear);
		context.getBeanProvider(TestDelayQueues.class).ifAvailable(TestDelayQueues::clear);
	}

}
