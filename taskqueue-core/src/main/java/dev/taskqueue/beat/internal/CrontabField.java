package dev.taskqueue.beat.internal;

/**
 * The five fields of Celery's crontab, in the order RedBeat stores them, with the values
 * each takes (day of week 0 is Sunday).
 */
enum CrontabField {

	MINUTE("minute", 0, 60),

	HOUR("hour", 0, 24),

	DAY_OF_WEEK("day_of_week", 0, 7),

	DAY_OF_MONTH("day_of_month", 1, 31),

	MONTH_OF_YEAR("month_of_year", 1, 12);

	private final String key;

	private final int min;

	private final int size;

	CrontabField(String key, int min, int size) {
		this.key = key;
		this.min = min;
		this.size = size;
	}

	/** The field's key in RedBeat's JSON. */
	String key() {
		return this.key;
	}

	int min() {
		return this.min;
	}

	int size() {
		return this.size;
	}

	/** Every value of the field. */
	long full() {
		return ((1L << this.size) - 1) << this.min;
	}

}
