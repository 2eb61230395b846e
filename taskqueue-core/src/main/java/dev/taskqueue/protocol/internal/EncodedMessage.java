package dev.taskqueue.protocol.internal;

import com.rabbitmq.client.AMQP;

/**
 * A task message ready to publish: its AMQP properties (with the Celery headers) and
 * body.
 *
 * @param properties the AMQP basic properties
 * @param body the body, in the message's serializer and compressed if it asked to be
 */
public record EncodedMessage(AMQP.BasicProperties properties, byte[] body) {

}
