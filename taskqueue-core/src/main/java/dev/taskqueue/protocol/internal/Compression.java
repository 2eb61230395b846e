package dev.taskqueue.protocol.internal;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compression of task message bodies as kombu does it, named in the message's
 * {@code compression} header. Celery's {@code gzip} and {@code zlib} are the same method
 * to kombu: {@code zlib.compress} (zlib framing, not gzip's), sent as
 * {@code application/x-gzip}. kombu's optional methods (bzip2, lzma, brotli, zstd) are
 * not supported.
 */
public final class Compression {

	/** The content type kombu writes for {@code gzip} and {@code zlib}. */
	public static final String GZIP = "application/x-gzip";

	private static final String ACCEPTED = "gzip, zlib or " + GZIP;

	private Compression() {
	}

	/**
	 * Resolve a compression name, as Celery's {@code task_compression} and
	 * {@code apply_async(compression=...)} take it, to the header value.
	 * @param nameOrType {@code gzip}, {@code zlib} or {@code application/x-gzip}
	 * @return {@link #GZIP}
	 * @throws IllegalArgumentException for any other method, naming the accepted ones
	 */
	public static String resolve(String nameOrType) {
		return switch (nameOrType.trim().toLowerCase(Locale.ROOT)) {
			case "gzip", "zlib", GZIP -> GZIP;
			default -> throw new IllegalArgumentException("Unknown compression '" + nameOrType + "': use " + ACCEPTED);
		};
	}

	/**
	 * Compress as Python's {@code zlib.compress(data)} does (default level).
	 * @param data the bytes
	 * @return the compressed bytes
	 */
	public static byte[] compress(byte[] data) {
		Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
		try {
			deflater.setInput(data);
			deflater.finish();
			ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
			byte[] buffer = new byte[8192];
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
	}

	/**
	 * Decompress a body whose {@code compression} header names a method.
	 * @param type the header's value
	 * @param data the compressed bytes
	 * @return the bytes
	 * @throws IllegalArgumentException if the method is not supported or the data is not
	 * valid
	 */
	public static byte[] decompress(String type, byte[] data) {
		return decompress(type, data, Integer.MAX_VALUE - 8);
	}

	/**
	 * Decompress a body whose {@code compression} header names a method, refusing to
	 * inflate it past a size: a few kilobytes of zlib can inflate to gigabytes.
	 * @param type the header's value
	 * @param data the compressed bytes
	 * @param maxSize the largest decompressed size accepted, in bytes
	 * @return the bytes
	 * @throws IllegalArgumentException if the method is not supported, the data is not
	 * valid, or it inflates past {@code maxSize}
	 */
	public static byte[] decompress(String type, byte[] data, long maxSize) {
		String method = type.trim().toLowerCase(Locale.ROOT);
		if (!method.equals(GZIP) && !method.equals("gzip") && !method.equals("zlib")) {
			throw new IllegalArgumentException("compression '" + type + "' is not supported (use " + ACCEPTED + ")");
		}
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(data);
			ByteArrayOutputStream out = new ByteArrayOutputStream(
					(int) Math.max(64, Math.min(Math.min(maxSize, 1 << 20), data.length * 4L)));
			byte[] buffer = new byte[8192];
			while (!inflater.finished()) {
				int n = inflater.inflate(buffer);
				if (out.size() + (long) n > maxSize) {
					throw new IllegalArgumentException(
							"compressed body inflates past the limit of " + maxSize + " bytes");
				}
				if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
					throw new IllegalArgumentException("compressed body (" + GZIP + ") is truncated");
				}
				out.write(buffer, 0, n);
			}
			return out.toByteArray();
		}
		catch (DataFormatException ex) {
			throw new IllegalArgumentException(
					"compressed body is not valid zlib data (" + GZIP + "): " + ex.getMessage(), ex);
		}
		finally {
			inflater.end();
		}
	}

}
