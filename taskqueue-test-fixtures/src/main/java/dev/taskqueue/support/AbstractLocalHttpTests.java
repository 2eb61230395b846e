package dev.taskqueue.support;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.context.ApplicationContext;

/**
 * Base class of tests that call, over HTTP, applications they started in their own JVM on
 * a random port ({@code server.port=0}).
 */
public abstract class AbstractLocalHttpTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final HttpClient http = HttpClient.newHttpClient();

	/**
	 * Return the URL of a path on an application started on a random port.
	 * @param context the application
	 * @param path the path, from {@code /}
	 * @return the URL
	 */
	protected static String url(ApplicationContext context, String path) {
		return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path;
	}

	/**
	 * Send a request, waiting 20 seconds at most, and read the response body as text.
	 * @param request the request
	 * @return the response
	 * @throws IOException if the request cannot be sent or answered
	 * @throws InterruptedException if interrupted while waiting
	 */
	protected HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
	}

}
