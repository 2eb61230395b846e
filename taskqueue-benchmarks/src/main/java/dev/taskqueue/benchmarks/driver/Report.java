package dev.taskqueue.benchmarks.driver;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * Progress lines on standard error, so standard output holds only the table.
 */
final class Report {

	private Report() {
	}

	static void line(String format, Object... args) {
		System.err.println("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + String.format(format, args));
	}

}
