package dev.taskqueue.docs.snippets.tasks;

import java.math.BigDecimal;
import java.util.List;

import dev.taskqueue.worker.QueueTask;

import org.springframework.stereotype.Component;

// tag::arguments[]
record Address(String street, String city) {
}

@Component
class Orders {

	@QueueTask("orders.ship")
	String ship(long orderId, Address to, List<String> items, BigDecimal insuredValue) {
		return "shipment-" + orderId + "-to-" + to.city();
	}

}
// end::arguments[]
