package dev.taskqueue.control;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One node's answer to a control command: Celery's <code>{"ok": text}</code> or
 * <code>{"error": text}</code> ({@code celery control} prints OK or ERROR by which one it
 * is).
 *
 * @param ok the success text, or {@code null}
 * @param error the error text, or {@code null}
 */
public record ControlReply(@Nullable String ok, @Nullable String error) {

	/**
	 * Read a reply value.
	 * @param value the node's reply
	 * @return the reply; a value that is neither form is an error describing it
	 */
	static ControlReply of(@Nullable Object value) {
		if (value instanceof Map<?, ?> map) {
			if (map.get("ok") != null) {
				return new ControlReply(String.valueOf(map.get("ok")), null);
			}
			if (map.get("error") != null) {
				return new ControlReply(null, String.valueOf(map.get("error")));
			}
		}
		return new ControlReply(null, "unexpected reply: " + value);
	}

	/**
	 * Return whether the node reported success.
	 * @return whether the node reported success
	 */
	public boolean isOk() {
		return this.ok != null;
	}

	/**
	 * Return the text, whichever it is.
	 * @return the text, whichever it is
	 */
	public String text() {
		return (this.ok != null) ? this.ok : String.valueOf(this.error);
	}

}
