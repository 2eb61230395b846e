package dev.taskqueue.protocol.internal;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.ContentHeaderPropertyWriter;
import org.jspecify.annotations.Nullable;

/**
 * Basic properties whose headers go on the wire in the order they were given.
 * <p>
 * {@link AMQP.BasicProperties} copies its headers into a {@code HashMap}, so the RabbitMQ
 * client would write Celery's sixteen headers in hash order. Celery writes them in a
 * fixed order ({@code lang, task, id, shadow, eta, ...}); this class keeps that order for
 * {@link #getHeaders()} and for the bytes it writes. Every other property is written
 * exactly as the superclass writes it.
 */
final class OrderedBasicProperties extends AMQP.BasicProperties {

	private final Map<String, Object> orderedHeaders;

	OrderedBasicProperties(@Nullable String contentType, @Nullable String contentEncoding,
			Map<String, @Nullable Object> headers, @Nullable Integer deliveryMode, @Nullable Integer priority,
			@Nullable String correlationId, @Nullable String replyTo, @Nullable String expiration) {
		super(contentType, contentEncoding, headers, deliveryMode, priority, correlationId, replyTo, expiration, null,
				null, null, null, null, null);
		this.orderedHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

	@Override
	public Map<String, Object> getHeaders() {
		return this.orderedHeaders;
	}

	@Override
	public void writePropertiesTo(ContentHeaderPropertyWriter writer) throws IOException {
		// Same flags and field order as AMQP.BasicProperties (AMQP 0-9-1 basic class).
		writer.writePresence(getContentType() != null);
		writer.writePresence(getContentEncoding() != null);
		writer.writePresence(true);
		writer.writePresence(getDeliveryMode() != null);
		writer.writePresence(getPriority() != null);
		writer.writePresence(getCorrelationId() != null);
		writer.writePresence(getReplyTo() != null);
		writer.writePresence(getExpiration() != null);
		writer.writePresence(getMessageId() != null);
		writer.writePresence(getTimestamp() != null);
		writer.writePresence(getType() != null);
		writer.writePresence(getUserId() != null);
		writer.writePresence(getAppId() != null);
		writer.writePresence(getClusterId() != null);
		writer.finishPresence();
		if (getContentType() != null) {
			writer.writeShortstr(getContentType());
		}
		if (getContentEncoding() != null) {
			writer.writeShortstr(getContentEncoding());
		}
		writer.writeTable(this.orderedHeaders);
		if (getDeliveryMode() != null) {
			writer.writeOctet(getDeliveryMode());
		}
		if (getPriority() != null) {
			writer.writeOctet(getPriority());
		}
		if (getCorrelationId() != null) {
			writer.writeShortstr(getCorrelationId());
		}
		if (getReplyTo() != null) {
			writer.writeShortstr(getReplyTo());
		}
		if (getExpiration() != null) {
			writer.writeShortstr(getExpiration());
		}
		if (getMessageId() != null) {
			writer.writeShortstr(getMessageId());
		}
		if (getTimestamp() != null) {
			writer.writeTimestamp(getTimestamp());
		}
		if (getType() != null) {
			writer.writeShortstr(getType());
		}
		if (getUserId() != null) {
			writer.writeShortstr(getUserId());
		}
		if (getAppId() != null) {
			writer.writeShortstr(getAppId());
		}
		if (getClusterId() != null) {
			writer.writeShortstr(getClusterId());
		}
	}

}
