package dev.taskqueue.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Processes a test started (private brokers, stores, worker JVMs): killed with their
 * children when the test JVM exits, even if a test failed before cleaning up, so no stray
 * node or worker outlives the build.
 */
public final class ManagedProcesses {

	private static final Set<Process> processes = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> processes.forEach(ManagedProcesses::kill), "test-process-reaper"));
	}

	private ManagedProcesses() {
	}

	/**
	 * Kill a process when the test JVM exits, unless it was killed or forgotten before.
	 * @param process the process
	 * @return the process
	 */
	public static Process register(Process process) {
		processes.add(process);
		return process;
	}

	/**
	 * Kill a process and every process it started (SIGKILL), and wait for it.
	 * @param process the process
	 */
	public static void kill(Process process) {
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

	/**
	 * Leave a process that ended by itself alone at exit.
	 * @param process the process
	 */
	public static void forget(Process process) {
		processes.remove(process);
	}

	/**
	 * Return a loopback TCP port nothing listens on right now.
	 * @return a loopback TCP port nothing listens on right now
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return whether something accepts TCP connections on a loopback port.
	 * @param port the port
	 * @return whether something accepts TCP connections on a loopback port
	 */
	public static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
