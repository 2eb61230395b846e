package dev.taskqueue.protocol.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Compression}: kombu's {@code gzip}/{@code zlib}, which is {@code zlib.compress}.
 */
class CompressionTests {

	@Test
	void gzipAndZlibAreTheSameMethodToKombu() {
		assertThat(Compression.resolve("gzip")).isEqualTo("application/x-gzip");
		assertThat(Compression.resolve("ZLIB")).isEqualTo("application/x-gzip");
		assertThat(Compression.resolve(" application/x-gzip ")).isEqualTo("application/x-gzip");
	}

	@Test
	void otherMethodsAreRefusedNamingTheAcceptedOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> Compression.resolve("bzip2"))
			.withMessage("Unknown compression 'bzip2': use gzip, zlib or application/x-gzip");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Compression.decompress("application/x-bz2", new byte[] { 1 }))
			.withMessageContaining("compression 'application/x-bz2' is not supported");
	}

	@Test
	void compressesWithZlibFramingAsPythonsZlibCompress() {
		// zlib.compress(b'hello hello hello hello') with Python's default level
		byte[] python = HexFormat.of().parseHex("789ccb48cdc9c957c8402701680308b1");
		byte[] text = "hello hello hello hello".getBytes(StandardCharsets.US_ASCII);
		assertThat(Compression.compress(text)).containsExactly(python);
		assertThat(Compression.decompress("application/x-gzip", python)).containsExactly(text);
	}

	@Test
	void roundTripsEmptyAndLargeBodies() {
		byte[] large = new byte[1_000_000];
		for (int i = 0; i < large.length; i++) {
			large[i] = (byte) (i * 31 % 251);
		}
		assertThat(Compression.decompress("zlib", Compression.compress(large))).containsExactly(large);
		assertThat(Compression.decompress("gzip", Compression.compress(new byte[0]))).isEmpty();
	}

	@Test
	void aBodyThatInflatesPastTheLimitIsRefusedWithoutInflatingIt() {
		byte[] bomb = Compression.compress(new byte[5_000_000]);
		assertThat(bomb.length).isLessThan(10_000);
		assertThatIllegalArgumentException().isThrownBy(() -> Compression.decompress("gzip", bomb, 1_000_000))
			.withMessage("compressed body inflates past the limit of 1000000 bytes");
		assertThat(Compression.decompress("gzip", bomb, 5_000_000)).hasSize(5_000_000);
	}

	@Test
	void corruptOrTruncatedDataIsRefused() {
		byte[] compressed = Compression.compress("some body".getBytes(StandardCharsets.UTF_8));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Compression.decompress("application/x-gzip", "not zlib".getBytes(StandardCharsets.UTF_8)))
			.withMessageStartingWith("compressed body is not valid zlib data");
		assertThatIllegalArgumentException().isThrownBy(
				() -> Compression.decompress("application/x-gzip", Arrays.copyOf(compressed, compressed.length - 3)))
			.withMessageContaining("truncated");
	}

}
