package dev.taskqueue.test.internal;

import java.lang.reflect.Proxy;
import java.util.function.Consumer;

import com.rabbitmq.client.Channel;

/**
 * The channel the in-process worker settles its messages on: there is no broker behind
 * it, so acknowledgements have nothing to do; a message returned to its queue (which a
 * worker does when it cannot store an outcome) is reported.
 */
final class NoBrokerChannel {

	private NoBrokerChannel() {
	}

	static Channel create(Consumer<Long> returned) {
		return (Channel) Proxy.newProxyInstance(NoBrokerChannel.class.getClassLoader(),
				new Class<?>[] { Channel.class }, (proxy, method, args) -> {
					switch (method.getName()) {
						case "isOpen":
							return true;
						case "getChannelNumber":
							return 1;
						case "toString":
							return "in-process channel";
						case "hashCode":
							return System.identityHashCode(proxy);
						case "equals":
							return proxy == args[0];
						case "basicNack":
						case "basicReject":
							returned.accept((Long) args[0]);
							return null;
						default:
							return defaultValue(method.getReturnType());
					}
				});
	}

	private static Object defaultValue(Class<?> type) {
		if (type == boolean.class) {
			return false;
		}
		if (type == int.class) {
			return 0;
		}
		if (type == long.class) {
			return 0L;
		}
		return null;
	}

}
