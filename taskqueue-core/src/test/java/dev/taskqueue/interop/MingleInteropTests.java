package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.internal.node.PidboxNode;
import dev.taskqueue.control.internal.node.RevokedTasks;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.support.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revoked ids cross Celery's start-up sync ({@code hello}, "mingle") both ways: a Celery
 * 5.2.6 worker starting with mingle learns the ids a Java node holds (their times are
 * floats it accepts), and a Java node's {@link PidboxNode#mingle} learns the ids a Celery
 * worker holds.
 */
class MingleInteropTests {

	private final String namespace = Infrastructure.unique("mingle");

	private final Map<String, String> env = Map.of("INTEROP_CONTROL_EXCHANGE", this.namespace, "INTEROP_EVENT_EXCHANGE",
			Infrastructure.unique("mingle-ev"));

	private final String queue = Infrastructure.unique("mingle-py");

	private final CachingConnectionFactory rabbit = Infrastructure.rabbit();

	private final ClusterControl cluster = new ClusterControl(this.rabbit);

	private PidboxNode node;

	private PythonCelery.Worker python;

	@AfterEach
	void stop() {
		try {
			if (this.python != null) {
				this.python.close();
			}
			if (this.node != null) {
				this.node.stop();
			}
			this.cluster.destroy();
			RabbitAdmin admin = new RabbitAdmin(this.rabbit);
			admin.deleteQueue(this.queue);
			admin.deleteExchange(this.queue);
			admin.deleteExchange(this.namespace + ".pidbox");
			admin.deleteExchange("reply." + this.namespace + ".pidbox");
			admin.deleteExchange(this.env.get("INTEROP_EVENT_EXCHANGE"));
		}
		finally {
			this.rabbit.destroy();
		}
	}

	private PidboxNode startNode(RevokedTasks revoked) {
		PidboxNode node = new PidboxNode(this.rabbit, Infrastructure.unique("java") + "@" + ProcessIdentity.hostname(),
				new ModelWorker(Infrastructure.unique("q")), revoked, null);
		node.setNamespace(this.namespace);
		node.start();
		return node;
	}

	@Test
	void aCeleryWorkerStartingWithMingleLearnsTheIdsAJavaNodeHolds() {
		RevokedTasks revoked = new RevokedTasks();
		String id = Infrastructure.unique("revoked-in-java");
		revoked.add(id);
		this.node = startNode(revoked);
		this.python = PythonCelery.startWorker(this.queue, this.env, List.of("--without-gossip"));
		assertThat(this.python.log()).contains("mingle: sync with 1 nodes");
		this.cluster.setNamespace(this.namespace);
		this.cluster.setTimeout(Duration.ofSeconds(10));
		assertThat(this.cluster.inspect().destination(this.python.nodeName()).revoked().get(this.python.nodeName()))
			.contains(id);
	}

	@Test
	void aJavaNodeLearnsTheIdsACeleryWorkerHolds() {
		this.python = PythonCelery.startWorker(this.queue, this.env);
		this.cluster.setNamespace(this.namespace);
		this.cluster.setTimeout(Duration.ofSeconds(10));
		String id = Infrastructure.unique("revoked-in-python");
		assertThat(this.cluster.control().destination(this.python.nodeName()).revoke(List.of(id))).isNotEmpty();
		RevokedTasks revoked = new RevokedTasks();
		this.node = startNode(revoked);
		this.cluster.setTimeout(Duration.ofSeconds(3));
		assertThat(this.node.mingle(this.cluster)).isEqualTo(1);
		assertThat(revoked.contains(id)).isTrue();
	}

}
