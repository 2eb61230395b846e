package dev.taskqueue.autoconfigure.fault;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Processes a fault test started (private brokers, stores, worker JVMs): killed with
 * their children when the test JVM exits, even if a test failed before cleaning up, so no
 * stray node or worker outlives the build.
 */
final class ManagedProcesses {

	private static final Set<Process> processes = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> processes.forEach(ManagedProcesses::kill), "fault-test-process-reaper"));
	}

	private ManagedProcesses() {
	}

	static Process register(Process process) {
		processes.add(process);
		return process;
	}

	/**
	 * Kill a process and every process it started (SIGKILL), and wait for it.
	 * @param process the process
	 */
	static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		// Through the handle, which leaves the pipes open for what was printed before the
		// kill.
		process.toHandle().destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		processes.remove(process);
	}

	static void forget(Process process) {
		processes.remove(process);
	}

	/**
	 * Return a loopback TCP port nothing listens on right now.
	 * @return a loopback TCP port nothing listens on right now
	 */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static boolean accepts(int port) {
		try (java.net.Socket socket = new java.net.Socket()) {
			socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
