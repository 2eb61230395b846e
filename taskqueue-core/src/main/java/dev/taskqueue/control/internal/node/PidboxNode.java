package dev.taskqueue.control.internal.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.internal.BrokerDeclarations;
import dev.taskqueue.control.internal.LamportClock;
import dev.taskqueue.control.internal.NodeMatcher;
import dev.taskqueue.control.internal.PidboxMessages.PidboxRequest;
import dev.taskqueue.control.internal.PidboxMessages.ReplyTo;
import dev.taskqueue.control.internal.PidboxMessages;
import dev.taskqueue.control.internal.UnreadableMessageException;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.Lifecycle;

/**
 * A worker's mailbox on Celery's remote-control exchange, as a Celery worker's pidbox
 * {@code Node}: its own queue {@code <node>.celery.pidbox} bound to the
 * {@code celery.pidbox} fanout, consumed on a thread of its own (never behind task work:
 * Python clients wait about a second), re-declared after every reconnect. Each request
 * selected for this node by destination, pattern or matcher runs one of Celery's commands
 * on the {@link ControlledWorker}; a call gets one reply,
 * <code>{"&lt;node&gt;": result}</code> with the request's ticket.
 * <p>
 * Nothing a message says can stop the consumer: an unreadable message is logged and
 * dropped, a bad command or argument gets Celery's <code>{"error": ...}</code> reply, a
 * reply to an exchange that does not exist is logged and dropped.
 */
public class PidboxNode implements Lifecycle {

	private static final Log logger = LogFactory.getLog(PidboxNode.class);

	private final ConnectionFactory connectionFactory;

	private final String nodeName;

	private final ControlledWorker worker;

	private final RevokedTasks revoked;

	private final @Nullable WorkerEvents events;

	private final LamportClock clock;

	private final LamportClock mailboxClock = new LamportClock();

	private String namespace = PidboxMessages.DEFAULT_NAMESPACE;

	private CeleryVersion version = CeleryVersion.DEFAULT;

	private final RabbitTemplate replies;

	private final Object monitor = new Object();

	private @Nullable Commands commands;

	private @Nullable BrokerDeclarations declarations;

	private @Nullable SimpleMessageListenerContainer container;

	/**
	 * Create a node; it listens once {@link #start() started}.
	 * @param connectionFactory the broker's connection factory
	 * @param nodeName the node name ({@code name@host}), unique in the cluster
	 * @param worker the worker the commands act on
	 * @param revoked the ids revoked by command, shared with the worker
	 * @param events the worker's events (for {@code enable_events},
	 * {@code disable_events} and {@code heartbeat}, and whose clock the node shares), or
	 * {@code null} for a node without events
	 */
	public PidboxNode(ConnectionFactory connectionFactory, String nodeName, ControlledWorker worker,
			RevokedTasks revoked, @Nullable WorkerEvents events) {
		this.connectionFactory = connectionFactory;
		this.nodeName = nodeName;
		this.worker = worker;
		this.revoked = revoked;
		this.events = events;
		this.clock = (events != null) ? events.getDispatcher().getClock() : new LamportClock();
		this.replies = new RabbitTemplate(connectionFactory);
	}

	/**
	 * A Celery node name for a worker: its name when it already has Celery's
	 * {@code name@host} form, else {@code name@<this host>}.
	 * @param workerName the worker's name
	 * @return the node name
	 */
	public static String nodeName(String workerName) {
		return (workerName.indexOf('@') > 0) ? workerName : workerName + "@" + ProcessIdentity.hostname();
	}

	/**
	 * Set Celery's {@code control_exchange}, before {@link #start()}.
	 * @param namespace the namespace, {@code celery} by default
	 */
	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	/**
	 * Set the Celery version whose reply texts to write, before {@link #start()}.
	 * @param version the version
	 */
	public void setCeleryVersion(CeleryVersion version) {
		this.version = version;
	}

	/**
	 * Return the node name.
	 * @return the node name
	 */
	public String getNodeName() {
		return this.nodeName;
	}

	/**
	 * Return the node's queue.
	 * @return the node's queue
	 */
	public String getQueueName() {
		return PidboxMessages.nodeQueue(this.nodeName, this.namespace);
	}

	/**
	 * Return the revoked ids this node keeps.
	 * @return the revoked ids this node keeps
	 */
	public RevokedTasks getRevoked() {
		return this.revoked;
	}

	/**
	 * Declare the node's queue and start consuming it; after a lost connection the queue
	 * is declared again and consumed again by itself.
	 * @throws org.springframework.amqp.AmqpException if the broker cannot be reached now
	 */
	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.container != null) {
				return;
			}
			this.commands = new Commands(this.nodeName, this.worker, this.revoked, this.events, this.clock,
					this.version, broker(this.connectionFactory));
			String queue = getQueueName();
			BrokerDeclarations declarations = new BrokerDeclarations("pidbox queue of " + this.nodeName)
				.exchange(PidboxMessages.exchange(this.namespace), "fanout", false)
				.autoDeleteQueue(queue, PidboxMessages.queueArguments(), this::checkExclusive)
				.bind(queue, PidboxMessages.exchange(this.namespace), "");
			declarations.register(this.connectionFactory);
			SimpleMessageListenerContainer container = BrokerDeclarations.container(this.connectionFactory, queue,
					"taskqueue-pidbox-", new Listener());
			try {
				container.start();
			}
			catch (RuntimeException ex) {
				declarations.unregister(this.connectionFactory);
				container.destroy();
				throw ex;
			}
			this.declarations = declarations;
			this.container = container;
		}
	}

	/**
	 * Learn the revoked ids of the other nodes, as Celery's mingle does at start-up: a
	 * {@code hello} call carrying this node's ids, whose replies' ids and clocks are
	 * merged.
	 * @param cluster the client to call with
	 * @return how many nodes replied
	 */
	public int mingle(ClusterControl cluster) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("from_node", this.nodeName);
		arguments.put("revoked", this.revoked.toHello());
		Map<String, @Nullable Object> replies = cluster.inspect().call("hello", arguments);
		int nodes = 0;
		for (Map.Entry<String, @Nullable Object> reply : replies.entrySet()) {
			if (reply.getKey().equals(this.nodeName) || !(reply.getValue() instanceof Map<?, ?> sync)) {
				continue;
			}
			nodes++;
			if (sync.get("clock") instanceof Number clock) {
				this.clock.adjust(clock.longValue());
			}
			else {
				this.clock.forward();
			}
			this.revoked.merge((sync.get("revoked") instanceof Map<?, ?> ids) ? ids : null);
		}
		logger.info((nodes > 0) ? "mingle: sync with " + nodes + " nodes" : "mingle: all alone");
		return nodes;
	}

	@Override
	public void stop() {
		synchronized (this.monitor) {
			SimpleMessageListenerContainer container = this.container;
			BrokerDeclarations declarations = this.declarations;
			this.container = null;
			this.declarations = null;
			if (declarations != null) {
				declarations.unregister(this.connectionFactory);
			}
			if (container != null) {
				container.stop();
				container.destroy();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.container != null;
	}

	private void checkExclusive(int consumers) {
		// The queue is declared again on every new connection (the publisher's own, or
		// after a
		// reconnect) while this node consumes it: its own consumer is not another node's.
		SimpleMessageListenerContainer own = this.container;
		int ours = (own != null) ? own.getActiveConsumerCount() : 0;
		if (consumers > ours) {
			logger.warn("A node named " + this.nodeName + " is already using this process mailbox! Maybe you forgot "
					+ "to shutdown the other node or did not do so properly? Or if you meant to start multiple "
					+ "nodes on the same host please make sure you give each node a unique node name!");
		}
	}

	/** Handle one request: select, run, reply; never throws for what the message says. */
	private void handle(Map<String, ?> headers, @Nullable String contentType, byte[] body) {
		this.clock.forward();
		PidboxRequest request;
		try {
			request = PidboxMessages.decodeRequest(headers, contentType, body);
		}
		catch (UnreadableMessageException ex) {
			logger.warn("Ignored an unreadable message on " + getQueueName() + ": " + ex.getMessage());
			return;
		}
		this.mailboxClock.adjust(request.clock());
		boolean selected;
		try {
			selected = NodeMatcher.selects(this.nodeName, request.destination(), request.pattern(), request.matcher());
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Control command error: " + ex.getMessage());
			return;
		}
		if (!selected) {
			return;
		}
		Commands commands = this.commands;
		if (commands == null) {
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("pidbox received method " + request.method() + " [reply_to:" + request.replyTo() + " ticket:"
					+ request.ticket() + "]");
		}
		Object result = commands.handle(request.method(), request.arguments());
		ReplyTo replyTo = request.replyTo();
		if (request.isCall() && replyTo != null) {
			reply(replyTo, request.ticket(), result);
		}
	}

	private void reply(ReplyTo replyTo, @Nullable String ticket, @Nullable Object result) {
		EncodedMessage message = PidboxMessages.encodeReply(this.nodeName, result, ticket, this.mailboxClock.forward());
		String standard = PidboxMessages.replyExchange(this.namespace);
		try {
			this.replies.execute((channel) -> {
				if (replyTo.exchange().equals(standard)) {
					channel.exchangeDeclare(standard, "direct", false, false, null);
				}
				else {
					// A request must not make this node create exchanges other than
					// Celery's.
					channel.exchangeDeclarePassive(replyTo.exchange());
				}
				channel.basicPublish(replyTo.exchange(), replyTo.routingKey(), false, message.properties(),
						message.body());
				return null;
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Could not reply to " + replyTo.exchange() + "/" + replyTo.routingKey() + " (ticket " + ticket
					+ "): " + ex.getMessage());
		}
	}

	/** The {@code broker} of Celery's {@code stats}, from the connection factory. */
	static Map<String, @Nullable Object> broker(ConnectionFactory connectionFactory) {
		boolean ssl = false;
		double heartbeat = 0;
		int connectTimeout = 4;
		if (connectionFactory instanceof AbstractConnectionFactory factory) {
			com.rabbitmq.client.ConnectionFactory rabbit = factory.getRabbitConnectionFactory();
			ssl = rabbit.isSSL();
			heartbeat = rabbit.getRequestedHeartbeat();
			connectTimeout = Math.max(0, rabbit.getConnectionTimeout() / 1000);
		}
		Map<String, @Nullable Object> broker = new LinkedHashMap<>();
		broker.put("hostname", connectionFactory.getHost());
		broker.put("userid", connectionFactory.getUsername());
		broker.put("virtual_host", connectionFactory.getVirtualHost());
		broker.put("port", connectionFactory.getPort());
		broker.put("insist", false);
		broker.put("ssl", ssl);
		broker.put("transport", "amqp");
		broker.put("connect_timeout", connectTimeout);
		broker.put("transport_options", Map.of());
		broker.put("login_method", "PLAIN");
		broker.put("uri_prefix", null);
		broker.put("heartbeat", heartbeat);
		broker.put("failover_strategy", "round-robin");
		broker.put("alternates", List.of());
		broker.put("credential_provider", null);
		return broker;
	}

	private final class Listener implements MessageListener {

		@Override
		public void onMessage(Message message) {
			try {
				handle(message.getMessageProperties().getHeaders(), message.getMessageProperties().getContentType(),
						message.getBody());
			}
			catch (RuntimeException ex) {
				logger.warn("Control command error on " + getQueueName(), ex);
			}
		}

	}

}
