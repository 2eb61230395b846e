package dev.taskqueue.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.control.internal.BrokerDeclarations;
import dev.taskqueue.control.internal.LamportClock;
import dev.taskqueue.control.internal.PidboxMessages.PidboxReply;
import dev.taskqueue.control.internal.PidboxMessages.PidboxRequest;
import dev.taskqueue.control.internal.PidboxMessages.ReplyTo;
import dev.taskqueue.control.internal.PidboxMessages;
import dev.taskqueue.protocol.internal.EncodedMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;

/**
 * Inspects and controls the workers of a Celery cluster, Java and Python alike, over
 * Celery's remote-control exchange: what {@code app.control.inspect()} and
 * {@code app.control} do in Python. <pre class="code">
 * Map&lt;String, WorkerStats&gt; stats = cluster.inspect().stats();
 * Map&lt;String, List&lt;TaskInfo&gt;&gt; running = cluster.inspect().destination("worker1@host").active();
 * Map&lt;String, ControlReply&gt; done = cluster.control().rateLimit("worker.divide", "10/m");
 * </pre>
 * <p>
 * A call is broadcast and collects replies until the timeout (1 s by default, as Celery's
 * clients wait), or until every named destination answered: a call to all nodes always
 * waits the whole timeout, since no one knows how many there are. A node that answers
 * later is missing from the result. {@link Control#cast(String, Map) Casts} do not wait.
 * Replies come back on a queue of this client's own, consumed from the first call on.
 * Thread-safe; calls may run concurrently. Calls and casts throw Spring AMQP's
 * {@link org.springframework.amqp.AmqpException} when the broker cannot be reached.
 */
public class ClusterControl implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ClusterControl.class);

	private final ConnectionFactory connectionFactory;

	private final RabbitTemplate publisher;

	private final String oid = UUID.randomUUID().toString();

	private final LamportClock clock = new LamportClock();

	private final Map<String, BlockingQueue<Map<String, @Nullable Object>>> pending = new ConcurrentHashMap<>();

	private volatile String namespace = PidboxMessages.DEFAULT_NAMESPACE;

	private volatile Duration timeout = Duration.ofSeconds(1);

	private final Object monitor = new Object();

	private volatile @Nullable SimpleMessageListenerContainer replies;

	private volatile @Nullable BrokerDeclarations declarations;

	private @Nullable BrokerDeclarations replyDeclarations;

	/**
	 * Create a client.
	 * @param connectionFactory the broker's connection factory
	 */
	public ClusterControl(ConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.publisher = new RabbitTemplate(connectionFactory);
	}

	/**
	 * Set Celery's {@code control_exchange}, before the first call.
	 * @param namespace the namespace, {@code celery} by default (exchanges
	 * {@code celery.pidbox} and {@code reply.celery.pidbox})
	 */
	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	/**
	 * Set how long calls wait for replies unless they say otherwise.
	 * @param timeout the timeout, 1 s by default
	 */
	public void setTimeout(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("The timeout must be positive, got " + timeout);
		}
		this.timeout = timeout;
	}

	/**
	 * Return the namespace.
	 * @return the namespace
	 */
	public String getNamespace() {
		return this.namespace;
	}

	/**
	 * Inspect every node (Celery's {@code app.control.inspect()}).
	 * @return the inspection, to narrow down or run
	 */
	public Inspect inspect() {
		return new Inspect(this, Target.all(this.timeout));
	}

	/**
	 * Control every node (Celery's {@code app.control}).
	 * @return the control commands, to narrow down or run
	 */
	public Control control() {
		return new Control(this, Target.all(this.timeout));
	}

	/**
	 * Revoke a task on every node without waiting for replies, as Python's
	 * {@code app.control.revoke(id)} does: Celery workers and taskqueue workers that are
	 * connected now will not run it. Celery workers keep the id in memory only.
	 * @param taskId the task id
	 * @param terminate whether running copies are terminated ({@code SIGTERM})
	 */
	public void revoke(String taskId, boolean terminate) {
		cast("revoke", Control.revokeArguments(List.of(taskId), terminate, null), Target.all(this.timeout));
	}

	/**
	 * Broadcast a call and collect the replies.
	 * @param method the command
	 * @param arguments its keyword arguments
	 * @param target which nodes, and how long to wait
	 * @return each reply (one node name mapped to its result), in arrival order
	 */
	List<Map<String, @Nullable Object>> call(String method, Map<String, ?> arguments, Target target) {
		ensureReplies();
		String ticket = UUID.randomUUID().toString();
		BlockingQueue<Map<String, @Nullable Object>> queue = new LinkedBlockingQueue<>();
		this.pending.put(ticket, queue);
		List<Map<String, @Nullable Object>> replies = new ArrayList<>();
		try {
			long timeoutNanos = target.timeout().toNanos();
			publish(method, arguments, target, ticket, System.currentTimeMillis() / 1000.0 + timeoutNanos / 1e9);
			long deadline = System.nanoTime() + timeoutNanos;
			int limit = target.limit();
			while (limit <= 0 || replies.size() < limit) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					break;
				}
				Map<String, @Nullable Object> reply = queue.poll(left, TimeUnit.NANOSECONDS);
				if (reply != null) {
					replies.add(reply);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.pending.remove(ticket);
		}
		return replies;
	}

	/**
	 * Broadcast a command that asks for no reply.
	 * @param method the command
	 * @param arguments its keyword arguments
	 * @param target which nodes
	 */
	void cast(String method, Map<String, ?> arguments, Target target) {
		ensureDeclared();
		publish(method, arguments, target, null, 0);
	}

	private void publish(String method, Map<String, ?> arguments, Target target, @Nullable String ticket,
			double expires) {
		ReplyTo replyTo = (ticket != null) ? new ReplyTo(PidboxMessages.replyExchange(this.namespace), this.oid) : null;
		PidboxRequest request = new PidboxRequest(method, new LinkedHashMap<>(arguments), target.destination(),
				target.pattern(), target.matcher(), ticket, replyTo, this.clock.forward(), expires);
		EncodedMessage message = PidboxMessages.encodeRequest(request);
		String exchange = PidboxMessages.exchange(this.namespace);
		this.publisher.execute((channel) -> {
			channel.basicPublish(exchange, "", false, message.properties(), message.body());
			return null;
		});
	}

	/**
	 * The request exchange, which casts need, declared now and on every new connection.
	 */
	private void ensureDeclared() {
		if (this.declarations != null) {
			return;
		}
		synchronized (this.monitor) {
			if (this.declarations == null) {
				BrokerDeclarations declarations = new BrokerDeclarations("pidbox exchange")
					.exchange(PidboxMessages.exchange(this.namespace), "fanout", false);
				declarations.register(this.connectionFactory);
				this.declarations = declarations;
			}
		}
	}

	/** The reply exchange and queue, which calls need, and their consumer. */
	private void ensureReplies() {
		ensureDeclared();
		if (this.replies != null) {
			return;
		}
		synchronized (this.monitor) {
			if (this.replies == null) {
				String replyExchange = PidboxMessages.replyExchange(this.namespace);
				String queue = PidboxMessages.replyQueue(this.oid, this.namespace);
				BrokerDeclarations declarations = new BrokerDeclarations("pidbox reply queue")
					.exchange(replyExchange, "direct", false)
					.autoDeleteQueue(queue, PidboxMessages.queueArguments(), null)
					.bind(queue, replyExchange, this.oid);
				declarations.register(this.connectionFactory);
				SimpleMessageListenerContainer container = BrokerDeclarations.container(this.connectionFactory, queue,
						"taskqueue-pidbox-replies-", this::onReply);
				try {
					container.start();
				}
				catch (RuntimeException ex) {
					declarations.unregister(this.connectionFactory);
					container.destroy();
					throw ex;
				}
				this.replyDeclarations = declarations;
				this.replies = container;
			}
		}
	}

	private void onReply(Message message) {
		try {
			PidboxReply reply = PidboxMessages.decodeReply(message.getMessageProperties().getHeaders(),
					message.getMessageProperties().getContentType(), message.getBody());
			this.clock.adjust(reply.clock());
			BlockingQueue<Map<String, @Nullable Object>> queue = (reply.ticket() != null)
					? this.pending.get(reply.ticket()) : null;
			if (queue != null) {
				queue.add(reply.body());
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Dropped a late or unknown reply (ticket " + reply.ticket() + ") from "
						+ reply.body().keySet());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Ignored an unreadable pidbox reply: " + ex.getMessage());
		}
	}

	/** Stop consuming replies. */
	@Override
	public void destroy() {
		synchronized (this.monitor) {
			SimpleMessageListenerContainer replies = this.replies;
			this.replies = null;
			for (BrokerDeclarations declarations : java.util.Arrays.asList(this.declarations, this.replyDeclarations)) {
				if (declarations != null) {
					declarations.unregister(this.connectionFactory);
				}
			}
			this.declarations = null;
			this.replyDeclarations = null;
			if (replies != null) {
				replies.stop();
				replies.destroy();
			}
		}
	}

	/**
	 * Which nodes a broadcast is for, and how long a call waits.
	 *
	 * @param destination the node names, or {@code null} for all
	 * @param pattern a pattern of node names, or {@code null}
	 * @param matcher {@code glob} or {@code pcre}, with a pattern
	 * @param timeout how long a call waits for replies
	 * @param limit stop waiting after this many replies (0: wait the whole timeout)
	 */
	record Target(@Nullable List<String> destination, @Nullable String pattern, @Nullable String matcher,
			Duration timeout, int limit) {

		static Target all(Duration timeout) {
			return new Target(null, null, null, timeout, 0);
		}

		Target to(List<String> nodes) {
			if (nodes.isEmpty()) {
				throw new IllegalArgumentException("Name at least one node");
			}
			return new Target(List.copyOf(nodes), null, null, this.timeout, nodes.size());
		}

		Target matching(String pattern, String matcher) {
			return new Target(null, pattern, matcher, this.timeout, this.limit);
		}

		Target waiting(Duration timeout) {
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("The timeout must be positive, got " + timeout);
			}
			return new Target(this.destination, this.pattern, this.matcher, timeout, this.limit);
		}

		Target limited(int limit) {
			return new Target(this.destination, this.pattern, this.matcher, this.timeout, Math.max(0, limit));
		}

	}

}
