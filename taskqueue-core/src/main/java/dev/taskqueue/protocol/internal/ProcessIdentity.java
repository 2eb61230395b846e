package dev.taskqueue.protocol.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * How this process names itself in messages and results, as Celery does:
 * {@code gen<pid>@<host>} for senders.
 */
public final class ProcessIdentity {

	private static final String HOSTNAME = resolveHostname();

	private ProcessIdentity() {
	}

	/**
	 * Return this machine's host name.
	 * @return this machine's host name
	 */
	public static String hostname() {
		return HOSTNAME;
	}

	/**
	 * Return this process's id.
	 * @return this process's id
	 */
	public static long pid() {
		return ProcessHandle.current().pid();
	}

	/**
	 * Return the {@code origin} header value of messages this process sends.
	 * @return the {@code origin} header value of messages this process sends
	 */
	public static String origin() {
		return "gen" + pid() + "@" + HOSTNAME;
	}

	private static String resolveHostname() {
		String env = System.getenv("HOSTNAME");
		if (env != null && !env.isBlank()) {
			return env;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
