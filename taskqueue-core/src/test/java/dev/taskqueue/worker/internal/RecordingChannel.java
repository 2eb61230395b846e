package dev.taskqueue.worker.internal;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.Channel;

/**
 * A channel that records the acknowledgements sent on it, and nothing else.
 */
final class RecordingChannel {

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private volatile boolean open = true;

	private final Channel channel = (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(),
			new Class<?>[] { Channel.class }, (proxy, method, args) -> switch (method.getName()) {
				case "isOpen" -> this.open;
				case "basicAck" -> record("ack " + args[0]);
				case "basicNack" -> record("nack " + args[0] + " requeue=" + args[2]);
				case "basicReject" -> record("reject " + args[0] + " requeue=" + args[1]);
				case "toString" -> "RecordingChannel";
				case "hashCode" -> System.identityHashCode(proxy);
				case "equals" -> proxy == args[0];
				default -> throw new UnsupportedOperationException(method.getName());
			});

	private Object record(String call) {
		if (!this.open) {
			throw new IllegalStateException("channel closed");
		}
		this.calls.add(call);
		return null;
	}

	Channel channel() {
		return this.channel;
	}

	List<String> calls() {
		return List.copyOf(this.calls);
	}

	void close() {
		this.open = false;
	}

}
