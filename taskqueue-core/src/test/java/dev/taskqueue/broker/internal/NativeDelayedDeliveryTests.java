package dev.taskqueue.broker.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Names and routing keys of Celery 5.5+'s native delayed delivery, as kombu's
 * {@code native_delayed_delivery} computes them (expected values from
 * {@code '.'.join(f'{countdown:028b}') + f'.{routing_key}'}).
 */
class NativeDelayedDeliveryTests {

	@Test
	void routingKeySpellsTheDelayInTwentyEightBitsThenTheQueuesKey() {
		assertThat(NativeDelayedDelivery.routingKey(1, "celery"))
			.isEqualTo("0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.celery");
		assertThat(NativeDelayedDelivery.routingKey(300, "tq-x"))
			.isEqualTo("0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.1.0.1.1.0.0.tq-x");
		assertThat(NativeDelayedDelivery.routingKey((1L << 28) - 1, "a.b"))
			.isEqualTo("1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.a.b");
	}

	@Test
	void aKeyDelayedBeforeHasItsBitsReplacedNotPrefixedAgain() {
		String once = NativeDelayedDelivery.routingKey(300, "tq-x");
		assertThat(NativeDelayedDelivery.routingKey(2, once))
			.isEqualTo("0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.tq-x");
		assertThat(NativeDelayedDelivery.routingKey(1, "0.1.short")).endsWith(".1.0.1.short");
	}

	@Test
	void delaysOutsideTheLevelsAndEmptyKeysAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> NativeDelayedDelivery.routingKey(0, "q"))
			.withMessageContaining("between 1 and 268435455");
		assertThatIllegalArgumentException().isThrownBy(() -> NativeDelayedDelivery.routingKey(1L << 28, "q"));
		assertThatIllegalArgumentException().isThrownBy(() -> NativeDelayedDelivery.routingKey(5, ""));
	}

	@Test
	void levelsAreNamedAsCelerys() {
		assertThat(NativeDelayedDelivery.levelName(27)).isEqualTo("celery_delayed_27");
		assertThat(NativeDelayedDelivery.levelName(0)).isEqualTo("celery_delayed_0");
		assertThat(NativeDelayedDelivery.DELIVERY_EXCHANGE).isEqualTo("celery_delayed_delivery");
		assertThatIllegalArgumentException().isThrownBy(() -> NativeDelayedDelivery.levelName(28));
	}

}
