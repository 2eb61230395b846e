package dev.taskqueue.result.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client learns of the routes its tasks go to.
 */
class ReplyRoutesTests {

	private final ReplyRoutes routes = new ReplyRoutes();

	@Test
	void aRouteRepliesOnceAResultCameWithItsReply() {
		assertThat(this.routes.replying("q")).isFalse();
		this.routes.replied("q");
		assertThat(this.routes.replying("q")).isTrue();
		assertThat(this.routes.replying("other")).isFalse();
	}

	@Test
	void aRouteWhoseResultCameWithoutItsReplyFirstIsNotTurnedByOneReply() {
		this.routes.notReplied("q");
		this.routes.replied("q");
		assertThat(this.routes.replying("q")).isFalse();
	}

	@Test
	void aRouteTurnedBackRepliesAgainAfterARunOfRepliesThatDoublesEachTimeItTurnsBack() {
		this.routes.replied("q");
		this.routes.notReplied("q");
		assertThat(this.routes.replying("q")).isFalse();
		assertThat(repliesUntilReplying("q")).isEqualTo(ReplyRoutes.REPLIED_IN_A_ROW);
		this.routes.notReplied("q");
		assertThat(repliesUntilReplying("q")).isEqualTo(2 * ReplyRoutes.REPLIED_IN_A_ROW);
	}

	@Test
	void aResultWithoutItsReplyStartsTheRunAgain() {
		this.routes.replied("q");
		this.routes.notReplied("q");
		for (int i = 0; i < ReplyRoutes.REPLIED_IN_A_ROW - 1; i++) {
			this.routes.replied("q");
		}
		this.routes.notReplied("q");
		this.routes.replied("q");
		assertThat(this.routes.replying("q")).isFalse();
		// Turned back while not replying: the run it needs did not double.
		assertThat(repliesUntilReplying("q")).isEqualTo(ReplyRoutes.REPLIED_IN_A_ROW - 1);
	}

	private int repliesUntilReplying(String route) {
		int replies = 0;
		while (!this.routes.replying(route)) {
			this.routes.replied(route);
			replies++;
			assertThat(replies).isLessThan(10_000);
		}
		return replies;
	}

}
