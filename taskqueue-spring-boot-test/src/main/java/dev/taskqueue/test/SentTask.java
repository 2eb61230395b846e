package dev.taskqueue.test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task message as the client published it, read back from its bytes with the real
 * codec: argument values are what a worker would bind (numbers, strings, lists, maps),
 * not the objects the test passed.
 *
 * @param id the task id
 * @param name the task name
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param exchange the exchange it was published to ({@code ""} for the default one)
 * @param routingKey the routing key (the queue, for the default exchange)
 * @param eta when it is due, or {@code null} to run at once
 * @param expires when it expires, or {@code null}
 * @param priority its priority
 * @param retries how many times it was retried before this message
 * @param groupId its group, or {@code null}
 * @param parentId the task that sent it, or {@code null}
 * @param rootId the first task of its workflow
 * @param links the tasks sent with its result when it succeeds
 * @param errbacks the tasks sent when it fails
 * @param chain the later steps of its chain, the next one first
 * @param chord whether it is a header part of a chord (its body travels with it)
 * @param contentType the content type of its body
 */
public record SentTask(String id, String name, List<@Nullable Object> args, Map<String, @Nullable Object> kwargs,
		String exchange, String routingKey, @Nullable OffsetDateTime eta, @Nullable OffsetDateTime expires,
		int priority, int retries, @Nullable String groupId, @Nullable String parentId, String rootId,
		List<SentSignature> links, List<SentSignature> errbacks, List<SentSignature> chain, boolean chord,
		String contentType) {

	/**
	 * Return the queue the task went to: the routing key, which is the queue's name
	 * unless a route names an exchange of its own.
	 * @return the queue
	 */
	public String queue() {
		return this.routingKey;
	}

	@Override
	public String toString() {
		return this.name + this.args + (this.kwargs.isEmpty() ? "" : this.kwargs.toString()) + " on '" + this.routingKey
				+ "'" + ((this.eta != null) ? " eta " + this.eta : "")
				+ (this.links.isEmpty() ? "" : " link " + this.links)
				+ (this.errbacks.isEmpty() ? "" : " link_error " + this.errbacks)
				+ (this.chain.isEmpty() ? "" : " chain " + this.chain) + " [" + this.id + "]";
	}

}
