package dev.taskqueue.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.support.CeleryVectors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Signatures as canvases: Celery's clone and option merging, and chains, groups and
 * chords in Celery's dict form, built as Celery's {@code |} builds them.
 */
class CanvasSignatureTests {

	private static Signature add(Object... args) {
		return Signature.of("tasks.add", args);
	}

	@Test
	void cloneCallsWithArgumentsInFrontAndMergedKeywords() {
		Signature clone = add(2).withKwargs(Map.of("a", 1, "b", 2)).clone(List.of(1), Map.of("b", 3), Map.of());
		assertThat(clone.getArgs()).containsExactly(1, 2);
		assertThat(clone.getKwargs()).isEqualTo(Map.of("a", 1, "b", 3));
	}

	@Test
	void cloneOfAnImmutableSignatureKeepsItsArgumentsButMergesOptions() {
		Signature clone = Signature.immutable("tasks.add", 5, 5)
			.clone(List.of(1), Map.of("x", 1), Map.of("queue", "q"));
		assertThat(clone.getArgs()).containsExactly(5, 5);
		assertThat(clone.getKwargs()).isEmpty();
		assertThat(clone.getOptions()).isEqualTo(Map.of("queue", "q"));
	}

	@Test
	void cloneOptionsWinExceptAGroupIdAlreadySet() {
		Signature signature = add().withOptions(Map.of("queue", "a", "group_id", "g1"));
		Signature clone = signature.clone(List.of(), Map.of(), Map.of("queue", "b", "group_id", "g2", "priority", 3));
		assertThat(clone.getOptions()).isEqualTo(Map.of("queue", "b", "group_id", "g1", "priority", 3));
		assertThat(signature.getOptions()).isEqualTo(Map.of("queue", "a", "group_id", "g1"));
	}

	@Test
	void chainIsCelerysDict() {
		Map<String, Object> map = Signature.chain(add(1, 2), add(3)).toMap();
		assertThat(map.get("task")).isEqualTo("celery.chain");
		assertThat(map.get("subtask_type")).isEqualTo("chain");
		assertThat(map.get("kwargs")).isEqualTo(Map.of("tasks", List.of(add(1, 2).toMap(), add(3).toMap())));
	}

	@Test
	void groupIsCelerysDict() {
		Signature group = Signature.group(add(1, 1), add(2, 2));
		assertThat(group.toMap().get("task")).isEqualTo("celery.group");
		assertThat(group.getSubtaskType()).isEqualTo("group");
		assertThat(group.getTasks()).containsExactly(add(1, 1), add(2, 2));
	}

	@Test
	@SuppressWarnings("unchecked")
	void chordIsCelerysDictWithAGroupHeader() {
		Signature chord = Signature.chord(List.of(add(1, 1)), Signature.of("tasks.tsum"));
		Map<String, ?> kwargs = (Map<String, ?>) chord.toMap().get("kwargs");
		assertThat(kwargs.keySet()).containsExactly("kwargs", "header", "body");
		assertThat(chord.getHeader().getSubtaskType()).isEqualTo("group");
		assertThat(chord.getTasks()).containsExactly(add(1, 1));
		assertThat(chord.getBody()).isEqualTo(Signature.of("tasks.tsum"));
	}

	@Test
	void canvasesReadBackFromTheirDicts() {
		Signature chord = Signature.chord(List.of(Signature.chain(add(1, 1), add(2))), Signature.of("tasks.tsum"));
		Signature read = Signature.fromMap(
				CeleryVectors.mapper().readValue(CeleryVectors.mapper().writeValueAsString(chord.toMap()), Map.class));
		assertThat(read.getTasks().get(0).getTasks()).containsExactly(add(1, 1), add(2));
		assertThat(read.getBody()).isEqualTo(Signature.of("tasks.tsum"));
	}

	@Test
	void nestedChainsAreSplicedIn() {
		Signature chain = Signature.chain(add(1), Signature.chain(add(2), add(3)), add(4));
		assertThat(chain.getTasks()).containsExactly(add(1), add(2), add(3), add(4));
	}

	@Test
	void groupFollowedByAStepBecomesAChordWithThatBody() {
		Signature chain = Signature.chain(add(1), Signature.group(add(2), add(3)), Signature.of("tasks.tsum"));
		assertThat(chain.getTasks()).hasSize(2);
		Signature chord = chain.getTasks().get(1);
		assertThat(chord.getSubtaskType()).isEqualTo("chord");
		assertThat(chord.getTasks()).containsExactly(add(2), add(3));
		assertThat(chord.getBody()).isEqualTo(Signature.of("tasks.tsum"));
	}

	@Test
	void chainStartingWithAGroupIsAChord() {
		Signature chain = Signature.chain(Signature.group(add(2), add(3)), Signature.of("tasks.tsum"));
		assertThat(chain.getSubtaskType()).isEqualTo("chord");
	}

	@Test
	void stepAfterAChordJoinsItsBody() {
		Signature chain = Signature.chain(add(1), Signature.chord(List.of(add(2)), Signature.of("tasks.tsum")), add(4));
		assertThat(chain.getTasks()).hasSize(2);
		Signature body = chain.getTasks().get(1).getBody();
		assertThat(body.getSubtaskType()).isEqualTo("chain");
		assertThat(body.getTasks()).containsExactly(Signature.of("tasks.tsum"), add(4));
	}

	@Test
	void groupOfOneIsUnrolledInAChain() {
		assertThat(Signature.chain(add(1), Signature.group(add(2))).getTasks()).containsExactly(add(1), add(2));
	}

	@Test
	void errbackOfAGroupGoesToEveryMember() {
		Signature group = Signature.group(add(1), add(2)).withLinkError(Signature.of("tasks.error_handler"));
		assertThat(group.getTasks()).allSatisfy((member) -> assertThat(member.getOptions().get("link_error"))
			.isEqualTo(List.of(Signature.of("tasks.error_handler").toMap())));
	}

	@Test
	void callbackOfAGroupGoesToItsFirstMemberAsImmutable() {
		Signature group = Signature.group(add(1), add(2)).withLink(Signature.of("tasks.count"));
		assertThat(group.getTasks().get(0).getOptions().get("link"))
			.isEqualTo(List.of(Signature.immutable("tasks.count").toMap()));
		assertThat(group.getTasks().get(1).getOptions()).isEmpty();
	}

	@Test
	void callbacksAndErrbacksOfAChordGoToItsBody() {
		Signature chord = Signature.chord(List.of(add(1)), Signature.of("tasks.tsum"))
			.withLinkError(Signature.of("tasks.error_handler"));
		assertThat(chord.getBody().getOptions()).containsKey("link_error");
		assertThat(chord.getTasks().get(0).getOptions()).isEmpty();
	}

	@Test
	void canvasIsNotOneTaskRequest() {
		assertThatIllegalStateException().isThrownBy(() -> Signature.group(add(1)).toRequest(List.of()));
	}

	@Test
	void canvasOptionsBecomeTheRequestsCanvasFields() {
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("chain", List.of(add(4).toMap()));
		options.put("chord", Signature.of("tasks.tsum").toMap());
		options.put("group_id", "g");
		options.put("group_index", 2);
		options.put("root_id", "r");
		options.put("parent_id", "p");
		options.put("reply_to", "oid");
		TaskRequest request = add(1).withOptions(options).toRequest(List.of()).build();
		assertThat(request.getChain()).containsExactly(add(4));
		assertThat(request.getChord()).isEqualTo(Signature.of("tasks.tsum"));
		assertThat(request.getGroup()).isEqualTo("g");
		assertThat(request.getGroupIndex()).isEqualTo(2);
		assertThat(request.getRootId()).isEqualTo("r");
		assertThat(request.getParentId()).isEqualTo("p");
		assertThat(request.getReplyTo()).isEqualTo("oid");
	}

}
