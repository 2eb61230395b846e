package dev.taskqueue.benchmarks.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.taskqueue.benchmarks.stats.Samples;

/**
 * One measured figure of one system (say, taskqueue's drain rate with results stored):
 * every repetition with the machine's load around it.
 */
final class Figure {

	final String system;

	final String metric;

	final String unit;

	final List<Run> runs = new ArrayList<>();

	Figure(String system, String metric, String unit) {
		this.system = system;
		this.metric = metric;
		this.unit = unit;
	}

	/**
	 * Record one repetition.
	 * @param value the value
	 * @param loadBefore /proc/loadavg when it started
	 * @param detail anything else worth keeping
	 */
	void add(double value, String loadBefore, Map<String, Object> detail) {
		this.runs.add(new Run(value, loadBefore, Machine.loadavg(), detail));
	}

	boolean isEmpty() {
		return this.runs.isEmpty();
	}

	double median() {
		return Samples.of(this.runs.stream().map(Run::value).toList()).median();
	}

	double min() {
		return Samples.of(this.runs.stream().map(Run::value).toList()).min();
	}

	double max() {
		return Samples.of(this.runs.stream().map(Run::value).toList()).max();
	}

	List<Double> values() {
		return this.runs.stream().map(Run::value).toList();
	}

	/**
	 * One repetition.
	 *
	 * @param value the measured value
	 * @param loadBefore the load averages (1, 5, 15 min) when it started
	 * @param loadAfter the load averages when it ended
	 * @param detail what else was measured
	 */
	record Run(double value, String loadBefore, String loadAfter, Map<String, Object> detail) {
	}

}
