package dev.taskqueue.control.internal.node;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * A connection factory for tests that need no broker: every connection attempt fails at
 * once, so events are dropped without touching the network.
 */
public class NoBrokerFactory implements ConnectionFactory {

	@Override
	public Connection createConnection() {
		throw new AmqpConnectException(new java.net.ConnectException("no broker in this test"));
	}

	@Override
	public String getHost() {
		return "localhost";
	}

	@Override
	public int getPort() {
		return 5672;
	}

	@Override
	public String getVirtualHost() {
		return "/";
	}

	@Override
	public String getUsername() {
		return "guest";
	}

	@Override
	public void addConnectionListener(ConnectionListener listener) {
	}

	@Override
	public boolean removeConnectionListener(ConnectionListener listener) {
		return false;
	}

	@Override
	public void clearConnectionListeners() {
	}

}
