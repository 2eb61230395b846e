package dev.taskqueue.benchmarks.worker;

import java.nio.file.Path;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * The raw baseline's consumer: plain Spring AMQP, no taskqueue. A
 * {@link SimpleMessageListenerContainer} with manual acknowledgement acks every message as soon
 * as it arrives and counts it — the least a consumer with acks can do, so the ceiling of this
 * broker on this machine.
 */
public final class RawConsumer {

	private RawConsumer() {
	}

	/**
	 * Consume until the JVM stops.
	 * @param portFile where to write the stats port
	 * @param host the broker host
	 * @param port the broker port
	 * @param queue the queue (declared durable if missing)
	 * @param concurrency the consumers
	 * @param prefetch the prefetch of each consumer
	 * @throws Exception if it cannot start
	 */
	public static void run(Path portFile, String host, int port, String queue, int concurrency, int prefetch)
			throws Exception {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(host, port);
		connectionFactory.setUsername("guest");
		connectionFactory.setPassword("guest");
		new RabbitAdmin(connectionFactory).declareQueue(new Queue(queue, true, false, false));
		Counter counter = new Counter();
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
		container.setQueueNames(queue);
		container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		container.setConcurrentConsumers(concurrency);
		container.setPrefetchCount(prefetch);
		container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
			if (channel == null) {
				throw new IllegalStateException("Manual acknowledgement needs the channel");
			}
			channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
			counter.increment();
		});
		container.afterPropertiesSet();
		container.start();
		StatsServer stats = StatsServer.start(counter, portFile, container::stop, container::start);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stats.stop();
			container.stop();
			connectionFactory.destroy();
		}, "raw-stop"));
	}

}
