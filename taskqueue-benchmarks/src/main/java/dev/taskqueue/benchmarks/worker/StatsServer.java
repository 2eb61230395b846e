package dev.taskqueue.benchmarks.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The measuring hook of a process under test, instead of an actuator: {@code GET /stats}
 * on 127.0.0.1 answers
 * {@code {"count":..,"firstMillis":..,"lastMillis":..,"jvmStartMillis":..,"heapUsed":..,"heapCommitted":..}};
 * {@code GET /stats?gc=1} runs {@link System#gc()} first, so {@code heapUsed} is the heap
 * after a full collection. {@code GET /pause} and {@code GET /resume} stop and start
 * consuming, so the driver can fill the queue first and time the consumer alone; a
 * process may add actions of its own ({@code GET /<name>}). It runs on a thread of its
 * own, never on the consumers' threads.
 */
public final class StatsServer {

	private final HttpServer server;

	private StatsServer(HttpServer server) {
		this.server = server;
	}

	/**
	 * Start serving on an ephemeral port and write the port to a file (written last, so a
	 * reader that sees the file knows the process is ready).
	 * @param counter what the process counts
	 * @param portFile where to write the port
	 * @param pause stops consuming
	 * @param resume starts consuming again
	 * @return the running server
	 * @throws IOException if the server cannot start or the file cannot be written
	 */
	public static StatsServer start(Counter counter, Path portFile, Runnable pause, Runnable resume)
			throws IOException {
		return start(counter, portFile, Map.of("pause", pause, "resume", resume));
	}

	/**
	 * Start serving on an ephemeral port with the given actions and write the port to a
	 * file.
	 * @param counter what the process counts
	 * @param portFile where to write the port
	 * @param actions each served as {@code GET /<name>}, answering the stats once it has
	 * run
	 * @return the running server
	 * @throws IOException if the server cannot start or the file cannot be written
	 */
	public static StatsServer start(Counter counter, Path portFile, Map<String, Runnable> actions) throws IOException {
		return start(counter, portFile, actions, Map.of());
	}

	/**
	 * Start serving on an ephemeral port with the given actions and documents, and write
	 * the port to a file.
	 * @param counter what the process counts
	 * @param portFile where to write the port
	 * @param actions each served as {@code GET /<name>}, answering the stats once it has
	 * run
	 * @param documents each served as {@code GET /<name>}, answering the text it supplies
	 * @return the running server
	 * @throws IOException if the server cannot start or the file cannot be written
	 */
	public static StatsServer start(Counter counter, Path portFile, Map<String, Runnable> actions,
			Map<String, Supplier<String>> documents) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/stats", (exchange) -> answer(exchange, counter));
		actions.forEach((name, action) -> server.createContext("/" + name, (exchange) -> {
			action.run();
			answer(exchange, counter);
		}));
		documents.forEach((name, document) -> server.createContext("/" + name,
				(exchange) -> send(exchange, "text/plain", document.get().getBytes(StandardCharsets.UTF_8))));
		server.start();
		Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
		Files.writeString(tmp, Integer.toString(server.getAddress().getPort()));
		Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		return new StatsServer(server);
	}

	private static void answer(HttpExchange exchange, Counter counter) throws IOException {
		String query = exchange.getRequestURI().getQuery();
		if (query != null && query.contains("gc=1")) {
			System.gc();
		}
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		String json = "{\"count\":" + counter.count() + ",\"firstMillis\":" + counter.firstMillis() + ",\"lastMillis\":"
				+ counter.lastMillis() + ",\"jvmStartMillis\":" + ManagementFactory.getRuntimeMXBean().getStartTime()
				+ ",\"heapUsed\":" + heap.getUsed() + ",\"heapCommitted\":" + heap.getCommitted() + "}";
		send(exchange, "application/json", json.getBytes(StandardCharsets.UTF_8));
	}

	private static void send(HttpExchange exchange, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	/** Stop serving. */
	public void stop() {
		this.server.stop(0);
	}

}
