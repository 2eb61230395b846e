package dev.taskqueue.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private RabbitMQ node and a private redis-server for one test class, registered as a
 * static {@code @RegisterExtension} field: both start before the class's first test, any
 * that a test left stopped starts again before the next test, and both stop after the
 * last. Tests stop and start them to inject faults; the shared services are never
 * touched.
 */
public final class PrivateServers implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

	private final PrivateRabbit rabbit = new PrivateRabbit();

	private final PrivateRedis redis = new PrivateRedis();

	/**
	 * Return the private RabbitMQ node.
	 * @return the private RabbitMQ node
	 */
	public PrivateRabbit rabbit() {
		return this.rabbit;
	}

	/**
	 * Return the private redis-server.
	 * @return the private redis-server
	 */
	public PrivateRedis redis() {
		return this.redis;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.redis.start();
		this.rabbit.start();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		// A test that failed half-way may have left one down.
		if (!this.redis.isRunning()) {
			this.redis.start();
		}
		if (!this.rabbit.isRunning()) {
			this.rabbit.start();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		try {
			this.rabbit.close();
		}
		finally {
			this.redis.close();
		}
	}

}
