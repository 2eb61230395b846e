package dev.taskqueue.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Processes a test started (private brokers, stores, worker JVMs): killed with their
 * children when the test JVM exits, even if a test failed before cleaning up, so no stray
 * node or worker outlives the build.
 */
public final class ManagedProcesses {

	private static final Set<Process> processes = ConcurrentHashMap.newKeySet();

	private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

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
	 * Return a TCP port nothing listens on right now, below the kernel's ephemeral range.
	 * A port from that range (as {@code new ServerSocket(0)} gives) can be handed to an
	 * outgoing connection of any test between now and the server's bind, which for a
	 * broker node booting comes seconds later, and the server then fails to start. No
	 * port is returned twice by one JVM.
	 * @return a TCP port nothing listens on right now
	 */
	public static int freePort() {
		int below = ephemeralPortsFrom();
		int from = Math.max(1024, below / 2);
		for (int attempt = 0; attempt < 1000; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(from, below);
			if (!handedOut.add(port)) {
				continue;
			}
			try (ServerSocket socket = new ServerSocket(port)) {
				return socket.getLocalPort();
			}
			catch (IOException ex) {
				// Taken: try another.
			}
		}
		throw new IllegalStateException("No free TCP port between " + from + " and " + below);
	}

	private static int ephemeralPortsFrom() {
		// Read line by line: a whole-file read of a /proc file can stop after the first
		// byte.
		try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
			String range = reader.readLine();
			int from = Integer.parseInt(range.trim().split("\\s+")[0]);
			// A range that starts this low leaves no room below it: pick from the upper
			// half.
			return (from >= 8192) ? from : 65535;
		}
		catch (IOException | RuntimeException ex) {
			return 32768;
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
