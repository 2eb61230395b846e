package dev.taskqueue.benchmarks.stats;

import java.util.Arrays;
import java.util.Collection;

/**
 * Order statistics of a set of measurements.
 * <p>
 * Percentiles use the nearest-rank method: the p-th percentile of n sorted samples is the
 * sample at rank {@code ceil(p / 100 * n)} (1-based), so every reported value was
 * measured. The median of an even number of samples is the mean of the two middle ones.
 */
public final class Samples {

	private final double[] sorted;

	private Samples(double[] values) {
		if (values.length == 0) {
			throw new IllegalArgumentException("No samples");
		}
		this.sorted = values.clone();
		Arrays.sort(this.sorted);
	}

	/**
	 * Samples of the given values.
	 * @param values the values (not modified)
	 * @return the samples
	 */
	public static Samples of(double... values) {
		return new Samples(values);
	}

	/**
	 * Samples of the given values.
	 * @param values the values
	 * @return the samples
	 */
	public static Samples of(Collection<? extends Number> values) {
		return new Samples(values.stream().mapToDouble(Number::doubleValue).toArray());
	}

	/**
	 * Return how many samples there are.
	 * @return how many samples there are
	 */
	public int count() {
		return this.sorted.length;
	}

	/**
	 * The nearest-rank percentile.
	 * @param p the percentile, in (0, 100]
	 * @return the sample at that rank
	 */
	public double percentile(double p) {
		if (!(p > 0 && p <= 100)) {
			throw new IllegalArgumentException("Percentile must be in (0, 100]: " + p);
		}
		int rank = (int) Math.ceil(p / 100.0 * this.sorted.length);
		return this.sorted[Math.max(1, rank) - 1];
	}

	/**
	 * Return the median.
	 * @return the median
	 */
	public double median() {
		int n = this.sorted.length;
		return (n % 2 == 1) ? this.sorted[n / 2] : (this.sorted[n / 2 - 1] + this.sorted[n / 2]) / 2.0;
	}

	/**
	 * Return the smallest sample.
	 * @return the smallest sample
	 */
	public double min() {
		return this.sorted[0];
	}

	/**
	 * Return the largest sample.
	 * @return the largest sample
	 */
	public double max() {
		return this.sorted[this.sorted.length - 1];
	}

	/**
	 * Return the arithmetic mean.
	 * @return the arithmetic mean
	 */
	public double mean() {
		double sum = 0;
		for (double value : this.sorted) {
			sum += value;
		}
		return sum / this.sorted.length;
	}

}
