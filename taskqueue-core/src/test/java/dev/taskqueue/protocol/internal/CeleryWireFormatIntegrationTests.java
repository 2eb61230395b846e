package dev.taskqueue.protocol.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import javax.net.SocketFactory;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.support.CeleryVectors.MessageVector;
import dev.taskqueue.support.CeleryVectors;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.RawContentHeader;
import dev.taskqueue.support.TappingSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages encoded by the codec and published by {@link ConfirmedPublisher} arrive at a
 * consumer on the real broker as a Celery worker (py-amqp) expects them: read here with a
 * plain RabbitMQ client channel ({@code basicGet}), and byte by byte from the frames the
 * broker sent.
 */
class CeleryWireFormatIntegrationTests {

	private final TaskMessageCodec codec = new TaskMessageCodec(JsonMapper.builder().build(), List.of("json"));

	private CachingConnectionFactory rabbit;

	private ConfirmedPublisher publisher;

	private String queue;

	@BeforeEach
	void declareQueue() {
		this.rabbit = Infrastructure.rabbit();
		this.publisher = new ConfirmedPublisher(this.rabbit, Duration.ofSeconds(5), 1);
		this.queue = Infrastructure.unique("wire");
		new QueueDeclarer(this.rabbit).declareQueue(this.queue);
	}

	@AfterEach
	void deleteQueue() {
		RabbitAdmin admin = new RabbitAdmin(this.rabbit);
		admin.deleteQueue(this.queue);
		admin.deleteExchange(this.queue);
		this.publisher.destroy();
		this.rabbit.destroy();
	}

	@Test
	void stringHeadersArriveAsLongStrings() throws Exception {
		Map<String, Object> headers = publishAndGet(delay()).props().getHeaders();
		for (String name : List.of("lang", "task", "id", "root_id", "argsrepr", "kwargsrepr", "origin")) {
			assertThat(headers.get(name)).as(name).isInstanceOf(LongString.class);
		}
		assertThat(headers.get("argsrepr")).hasToString("(2, 3)");
	}

	@Test
	void unsetHeadersArriveAsVoid() throws Exception {
		Map<String, Object> headers = publishAndGet(delay()).props().getHeaders();
		for (String name : List.of("shadow", "eta", "expires", "group", "group_index", "parent_id")) {
			assertThat(headers).as(name).containsEntry(name, null);
		}
	}

	@Test
	void integerHeadersArriveAsIntegers() throws Exception {
		TaskMessage member = delay().toBuilder().group(UUID.randomUUID().toString()).groupIndex(2).retries(1).build();
		Map<String, Object> headers = publishAndGet(member).props().getHeaders();
		assertThat(headers.get("retries")).isInstanceOf(Integer.class).isEqualTo(1);
		assertThat(headers.get("group_index")).isInstanceOf(Integer.class).isEqualTo(2);
	}

	@Test
	void ignoreResultArrivesAsBoolean() throws Exception {
		Map<String, Object> headers = publishAndGet(delay().toBuilder().ignoreResult(true).build()).props()
			.getHeaders();
		assertThat(headers.get("ignore_result")).isInstanceOf(Boolean.class).isEqualTo(true);
	}

	@Test
	void timelimitArrivesAsAListOfTwoVoids() throws Exception {
		Map<String, Object> headers = publishAndGet(delay()).props().getHeaders();
		assertThat(headers.get("timelimit")).isInstanceOf(List.class);
		assertThat((List<?>) headers.get("timelimit")).hasSize(2).containsOnlyNulls();
	}

	@Test
	void exactlyCelerysSixteenHeadersArriveInCelerysOrder() throws Exception {
		Delivery delivery = publishAndGet(delay());
		assertThat(delivery.props().getHeaders()).containsOnlyKeys(CeleryVectors.CELERY_HEADERS);
		assertThat(delivery.raw().headerNames()).isEqualTo(CeleryVectors.CELERY_HEADERS);
	}

	@Test
	void headerTypesOnTheWireAreCelerys() throws Exception {
		Delivery delivery = publishAndGet(delay());
		assertThat(delivery.raw().headerTypes())
			.containsExactlyEntriesOf(CeleryVectors.first("delay").headerTypeLetters());
	}

	@Test
	void chordMemberHeaderTypesOnTheWireAreCelerys() throws Exception {
		MessageVector chord = CeleryVectors.first("chord");
		TaskMessage member = delay().toBuilder().group(UUID.randomUUID().toString()).groupIndex(0).build();
		assertThat(publishAndGet(member).raw().headerTypes()).containsExactlyEntriesOf(chord.headerTypeLetters());
	}

	@Test
	void etaOnTheWireIsALongStringInCelerysForm() throws Exception {
		TaskMessage later = delay().toBuilder().eta(OffsetDateTime.parse("2026-11-28T02:18:53.406277Z")).build();
		Delivery delivery = publishAndGet(later);
		assertThat(delivery.raw().header("eta").type()).isEqualTo("S");
		assertThat(delivery.raw().header("eta").value()).isEqualTo("2026-11-28T02:18:53.406277+00:00");
		assertThat(delivery.raw().headerTypes())
			.containsExactlyEntriesOf(CeleryVectors.first("countdown").headerTypeLetters());
	}

	@Test
	void propertiesArriveAsCeleryGivesThem() throws Exception {
		TaskMessage message = delay();
		AMQP.BasicProperties props = publishAndGet(message).props();
		assertThat(props.getDeliveryMode()).isEqualTo(2);
		assertThat(props.getPriority()).isEqualTo(0);
		assertThat(props.getContentType()).isEqualTo("application/json");
		assertThat(props.getContentEncoding()).isEqualTo("utf-8");
		assertThat(props.getCorrelationId()).isEqualTo(message.id());
		assertThat(props.getReplyTo()).isEqualTo(message.replyTo()).isNotBlank();
		assertThat(props.getExpiration()).isNull();
		assertThat(props.getMessageId()).isNull();
		assertThat(props.getTimestamp()).isNull();
		assertThat(props.getType()).isNull();
		assertThat(props.getAppId()).isNull();
		assertThat(props.getUserId()).isNull();
	}

	@Test
	void presentPropertiesOnTheWireAreCelerys() throws Exception {
		Delivery delivery = publishAndGet(delay());
		assertThat(delivery.raw().present()).containsExactlyElementsOf(
				RawContentHeader.parse(CeleryVectors.first("delay").rawContentHeader()).present());
	}

	@Test
	void bodyArrivesByteIdenticalToCelerys() throws Exception {
		assertThat(publishAndGet(delay()).body()).isEqualTo(CeleryVectors.first("delay").body());
	}

	/**
	 * Published with Celery's id, reply-to and origin, the content header a consumer
	 * receives is the one RabbitMQ delivered for Celery's own {@code add.delay(2, 3)},
	 * byte for byte.
	 */
	@Test
	void withCelerysIdsTheDeliveredContentHeaderIsCelerysByteForByte() throws Exception {
		MessageVector vector = CeleryVectors.first("delay");
		TaskMessage message = TaskMessage.builder(vector.header("id"), "tasks.add")
			.args(List.of(2, 3))
			.origin(vector.header("origin"))
			.replyTo(vector.properties().get("reply_to").asString())
			.build();
		assertThat(publishAndGet(message).rawBytes()).isEqualTo(vector.rawContentHeader());
	}

	private static TaskMessage delay() {
		return TaskMessage.builder(UUID.randomUUID().toString(), "tasks.add")
			.args(List.of(2, 3))
			.origin(ProcessIdentity.origin())
			.replyTo(UUID.randomUUID().toString())
			.build();
	}

	private Delivery publishAndGet(TaskMessage message) throws IOException, TimeoutException {
		EncodedMessage encoded = this.codec.encode(message);
		this.publisher.publish("", this.queue, encoded.properties(), encoded.body());
		ConnectionFactory factory = this.rabbit.getRabbitConnectionFactory();
		TappingSocketFactory tap = new TappingSocketFactory();
		factory.setSocketFactory(tap);
		try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
			GetResponse response = channel.basicGet(this.queue, true);
			assertThat(response).as("message in " + this.queue).isNotNull();
			List<byte[]> headers = tap.contentHeaders();
			assertThat(headers).hasSize(1);
			return new Delivery(response.getProps(), response.getBody(), headers.get(0));
		}
		finally {
			factory.setSocketFactory(SocketFactory.getDefault());
		}
	}

	private record Delivery(AMQP.BasicProperties props, byte[] body, byte[] rawBytes) {

		RawContentHeader raw() {
			return RawContentHeader.parse(this.rawBytes);
		}

	}

}
