package dev.taskqueue.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The Celery version the Python side of a cluster runs, for the few places where Celery's
 * wire changed between 5.x releases. Only the major and minor version matter:
 * {@code 5.2.6} and {@code 5.2} are the same here, and a version newer than any this
 * class knows behaves as the newest it knows.
 * <ul>
 * <li>From 5.3 on, kombu's JSON writes {@code datetime}, {@code date}, {@code time},
 * {@code Decimal}, {@code UUID} and {@code bytes} as typed objects
 * (<code>{"__type__": "datetime", "__value__": "..."}</code>) and reads them back as
 * those types; 5.2 writes them as plain strings and reads typed objects as dicts
 * ({@link #writesTypedJson()}).</li>
 * <li>From 5.3 on, Celery stores {@code date_done} with an offset ({@code +00:00}); 5.2
 * stores naive UTC, and Python cannot compare the two
 * ({@link #writesAwareDateDone()}).</li>
 * <li>From 5.3 on, a {@code revoke} reply lists the ids as a Python set
 * ({@link #setReprInRevokeReply()}).</li>
 * <li>From 5.5 on, countdown and ETA tasks for quorum queues whose exchange is not direct
 * travel through the broker's {@code celery_delayed_*} queues, and workers bind their
 * queues to them ({@link #usesNativeDelayedDelivery()}).</li>
 * </ul>
 *
 * @param major the major version
 * @param minor the minor version
 */
public record CeleryVersion(int major, int minor) implements Comparable<CeleryVersion> {

	/** Celery 5.2, Debian 12's {@code python3-celery} (5.2.6). */
	public static final CeleryVersion V5_2 = new CeleryVersion(5, 2);

	/** Celery 5.3, the first with kombu's typed JSON and aware {@code date_done}. */
	public static final CeleryVersion V5_3 = new CeleryVersion(5, 3);

	/** Celery 5.5, the first with native delayed delivery for quorum queues. */
	public static final CeleryVersion V5_5 = new CeleryVersion(5, 5);

	/** Celery 5.6, the newest version whose wire was checked. */
	public static final CeleryVersion V5_6 = new CeleryVersion(5, 6);

	/** The version assumed when none is configured: the newest checked. */
	public static final CeleryVersion DEFAULT = V5_6;

	private static final Pattern VERSION = Pattern.compile("\\s*v?(\\d+)\\.(\\d+)(?:\\.\\d+)?[A-Za-z0-9.+\\-]*\\s*");

	/**
	 * Create a version.
	 * @param major the major version, 5
	 * @param minor the minor version
	 * @throws IllegalArgumentException if the version is not Celery 5
	 */
	public CeleryVersion {
		if (major != 5 || minor < 0) {
			throw new IllegalArgumentException(
					"Celery " + major + "." + minor + " is not supported: taskqueue speaks Celery 5's protocol");
		}
	}

	/**
	 * Parse a version as Celery writes it ({@code 5.2.6}, {@code 5.6}).
	 * @param text the version
	 * @return the version
	 * @throws IllegalArgumentException if the text is not a Celery 5 version; the message
	 * says what is expected
	 */
	public static CeleryVersion parse(String text) {
		Matcher matcher = VERSION.matcher(text);
		if (!matcher.matches()) {
			throw new IllegalArgumentException(
					"'" + text + "' is not a Celery version: expected major.minor[.patch], e.g. 5.2.6 or 5.6");
		}
		return new CeleryVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
	}

	/**
	 * Parse a version, or return the default for none.
	 * @param text the version, or {@code null}
	 * @return the version
	 * @throws IllegalArgumentException if the text is not a Celery 5 version
	 */
	public static CeleryVersion parseOrDefault(@Nullable String text) {
		return (text == null || text.isBlank()) ? DEFAULT : parse(text);
	}

	/**
	 * Whether this version is the given one or newer.
	 * @param other the version to compare with
	 * @return whether this version is at least {@code other}
	 */
	public boolean isAtLeast(CeleryVersion other) {
		return compareTo(other) >= 0;
	}

	/**
	 * Whether kombu writes and reads typed JSON objects for dates, times, decimals, UUIDs
	 * and bytes.
	 * @return whether this version's JSON is typed
	 */
	public boolean writesTypedJson() {
		return isAtLeast(V5_3);
	}

	/**
	 * Whether {@code date_done} is stored with an offset ({@code +00:00}).
	 * @return whether {@code date_done} is timezone-aware
	 */
	public boolean writesAwareDateDone() {
		return isAtLeast(V5_3);
	}

	/**
	 * Whether a {@code revoke} reply lists the ids as a Python set repr
	 * (<code>tasks {'a', 'b'} flagged as revoked</code>) rather than joined with commas.
	 * @return whether the reply uses a set repr
	 */
	public boolean setReprInRevokeReply() {
		return isAtLeast(V5_3);
	}

	/**
	 * Whether clients send countdown and ETA tasks for quorum queues (with a topic
	 * exchange) through native delayed delivery, which workers bind their queues to.
	 * @return whether this version has native delayed delivery
	 */
	public boolean usesNativeDelayedDelivery() {
		return isAtLeast(V5_5);
	}

	@Override
	public int compareTo(CeleryVersion other) {
		return (this.major != other.major) ? Integer.compare(this.major, other.major)
				: Integer.compare(this.minor, other.minor);
	}

	@Override
	public String toString() {
		return this.major + "." + this.minor;
	}

}
