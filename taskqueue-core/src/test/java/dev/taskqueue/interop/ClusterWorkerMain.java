package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;

import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.internal.ClusterNode;

/**
 * A Java worker of the {@link InteropTasks} in a JVM of its own, a node of the Celery
 * cluster with task events on and a heartbeat every second, so a test can kill it
 * ({@code SIGKILL}) as a crash would. Prints {@value #READY} once it consumes.
 * <p>
 * Arguments: queue, control exchange, event exchange, node name.
 */
public final class ClusterWorkerMain {

	/** The line printed once the worker consumes. */
	public static final String READY = "CLUSTER-WORKER-READY";

	private ClusterWorkerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		String queue = args[0];
		Stack stack = Stack.builder().tasks(new InteropTasks()).defaultQueue(queue).build();
		EventDispatcher dispatcher = new EventDispatcher(stack.rabbit);
		dispatcher.setExchange(args[2]);
		ClusterControl cluster = new ClusterControl(stack.rabbit);
		cluster.setNamespace(args[1]);
		ClusterNode node = new ClusterNode(stack.rabbit, args[3], dispatcher);
		node.setNamespace(args[1]);
		node.setCeleryVersion(CeleryVersion.V5_2);
		node.setHeartbeatInterval(Duration.ofSeconds(1));
		node.setTaskEvents(true);
		node.setMingle(cluster);
		stack.startWorker(stack.settings(List.of(queue)), List.of(), null, (worker) -> worker.setClusterNode(node));
		System.out.println(READY);
		Thread.currentThread().join();
	}

}
