package dev.taskqueue.worker.internal;

import java.time.Duration;

import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.control.internal.node.PidboxNode;
import dev.taskqueue.control.internal.node.RevokedTasks;
import dev.taskqueue.control.internal.node.WorkerEvents;
import dev.taskqueue.protocol.CeleryVersion;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * A worker's membership of the Celery cluster: its pidbox node, which answers
 * {@code celery inspect} and {@code celery control} on a thread of its own, and its
 * monitoring events ({@code worker-online}, heartbeats, {@code worker-offline} and, when
 * switched on, task events). Started before the worker consumes, so that the revoked ids
 * other nodes know ({@code hello}) apply to the first task, and stopped before it stops.
 */
public final class ClusterNode {

	private static final Log logger = LogFactory.getLog(ClusterNode.class);

	private final ConnectionFactory connectionFactory;

	private final String nodeName;

	private final EventDispatcher dispatcher;

	private final RevokedTasks revoked = new RevokedTasks();

	private String namespace = "celery";

	private CeleryVersion version = CeleryVersion.DEFAULT;

	private Duration heartbeatInterval = Duration.ofSeconds(2);

	private boolean taskEvents;

	private @Nullable ClusterControl mingle;

	private final Object monitor = new Object();

	private @Nullable PidboxNode node;

	private @Nullable WorkerEvents events;

	private @Nullable ConnectionListener reconnect;

	/**
	 * Create the membership of one worker.
	 * @param connectionFactory the broker's connection factory
	 * @param nodeName the node name ({@code name@host}), unique in the cluster
	 * @param dispatcher publishes the worker's events
	 */
	public ClusterNode(ConnectionFactory connectionFactory, String nodeName, EventDispatcher dispatcher) {
		this.connectionFactory = connectionFactory;
		this.nodeName = PidboxNode.nodeName(nodeName);
		this.dispatcher = dispatcher;
	}

	/**
	 * Set Celery's {@code control_exchange}.
	 * @param namespace the namespace, {@code celery} by default
	 */
	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	/**
	 * Set the Celery version whose reply texts to write.
	 * @param version the version
	 */
	public void setCeleryVersion(CeleryVersion version) {
		this.version = version;
	}

	/**
	 * Set how often heartbeats are sent (Celery's {@code freq}).
	 * @param heartbeatInterval the interval, at least 100 ms
	 */
	public void setHeartbeatInterval(Duration heartbeatInterval) {
		if (heartbeatInterval.toMillis() < 100) {
			throw new IllegalArgumentException(
					"The heartbeat interval must be at least 100 ms, got " + heartbeatInterval);
		}
		this.heartbeatInterval = heartbeatInterval;
	}

	/**
	 * Send task events from the start (Celery's {@code -E}).
	 * @param taskEvents whether to send task events
	 */
	public void setTaskEvents(boolean taskEvents) {
		this.taskEvents = taskEvents;
	}

	/**
	 * Ask the other nodes for their revoked ids at start-up (Celery's mingle).
	 * @param cluster the client to ask with, or {@code null} not to ask
	 */
	public void setMingle(@Nullable ClusterControl cluster) {
		this.mingle = cluster;
	}

	/**
	 * Return the node name.
	 * @return the node name
	 */
	public String getNodeName() {
		return this.nodeName;
	}

	/**
	 * Return the ids revoked by Celery's remote control, which the worker refuses.
	 * @return the revoked ids
	 */
	public RevokedTasks getRevoked() {
		return this.revoked;
	}

	/**
	 * Return the worker's events, once started.
	 * @return the events, or {@code null} before {@link #start}
	 */
	public @Nullable WorkerEvents getEvents() {
		return this.events;
	}

	/**
	 * Return the pidbox node, once started.
	 * @return the node, or {@code null} before {@link #start}
	 */
	public @Nullable PidboxNode getNode() {
		return this.node;
	}

	/**
	 * Join: start answering remote control, learn the revoked ids of the others and
	 * announce the worker online.
	 * @param member the worker as the cluster sees it
	 * @param lifecycle where the worker's task events come from
	 */
	public void start(ClusterMember member, TaskLifecycle lifecycle) {
		synchronized (this.monitor) {
			if (this.node != null) {
				return;
			}
			WorkerEvents events = new WorkerEvents(this.dispatcher, this.nodeName, member);
			events.setFrequency(this.heartbeatInterval);
			events.setTaskEvents(this.taskEvents);
			lifecycle.setCeleryEvents(events);
			PidboxNode node = new PidboxNode(this.connectionFactory, this.nodeName, member, this.revoked, events);
			node.setNamespace(this.namespace);
			node.setCeleryVersion(this.version);
			node.start();
			this.node = node;
			this.events = events;
			ClusterControl mingle = this.mingle;
			if (mingle != null) {
				try {
					node.mingle(mingle);
				}
				catch (RuntimeException ex) {
					logger.warn("mingle: could not ask the other nodes for their revoked tasks: " + ex.getMessage());
				}
			}
			events.start();
			// As a Celery worker after a reconnect: the pidbox queue is declared again by
			// the node itself, and the worker announces itself online again.
			ConnectionListener reconnect = new ConnectionListener() {
				@Override
				public void onCreate(Connection connection) {
					events.online();
				}
			};
			this.connectionFactory.addConnectionListener(reconnect);
			this.reconnect = reconnect;
			logger.info("Worker node " + this.nodeName + " joined the Celery cluster (control exchange "
					+ this.namespace + ", task events " + (this.taskEvents ? "on" : "off") + ")");
		}
	}

	/** Leave: stop answering remote control and announce the worker offline. */
	public void stop() {
		synchronized (this.monitor) {
			ConnectionListener reconnect = this.reconnect;
			if (reconnect != null) {
				this.connectionFactory.removeConnectionListener(reconnect);
				this.reconnect = null;
			}
			PidboxNode node = this.node;
			WorkerEvents events = this.events;
			this.node = null;
			if (node != null) {
				node.stop();
			}
			if (events != null) {
				events.stop();
			}
		}
	}

}
