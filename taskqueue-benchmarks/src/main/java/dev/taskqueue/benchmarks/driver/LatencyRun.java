package dev.taskqueue.benchmarks.driver;

import java.io.IOException;

/**
 * Sequential round trips of one system, measured in parts: the driver alternates parts of
 * taskqueue's and of the raw baseline's, so that the load of a shared machine, which
 * changes from one second to the next, weighs on both alike.
 */
interface LatencyRun {

	/**
	 * Measure some more round trips.
	 * @param count how many
	 * @throws Exception if one fails
	 */
	void measure(int count) throws Exception;

	/**
	 * Record the figures of every round trip measured.
	 * @param load the load average when the run started
	 * @throws IOException if the points of the stage breakdown cannot be written
	 */
	void finish(String load) throws IOException;

}
