package dev.taskqueue.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.net.SocketFactory;

/**
 * A socket factory for the RabbitMQ Java client that records every byte the client reads,
 * so a test can see the AMQP frames exactly as the broker sent them (the client itself
 * parses headers into a {@code HashMap}, losing their order and type letters). For one
 * connection at a time.
 */
public final class TappingSocketFactory extends SocketFactory {

	private static final int FRAME_HEADER = 2;

	private final ByteArrayOutputStream received = new ByteArrayOutputStream();

	@Override
	public Socket createSocket() {
		return new TappedSocket();
	}

	@Override
	public Socket createSocket(String host, int port) {
		throw new UnsupportedOperationException("the RabbitMQ client creates unconnected sockets");
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
		throw new UnsupportedOperationException("the RabbitMQ client creates unconnected sockets");
	}

	@Override
	public Socket createSocket(InetAddress host, int port) {
		throw new UnsupportedOperationException("the RabbitMQ client creates unconnected sockets");
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
		throw new UnsupportedOperationException("the RabbitMQ client creates unconnected sockets");
	}

	/**
	 * The property lists (flags and properties, as in
	 * {@link RawContentHeader#parse(byte[])}) of every content-header frame received so
	 * far, in order.
	 * @return the raw property lists
	 */
	public List<byte[]> contentHeaders() {
		byte[] bytes;
		synchronized (this.received) {
			bytes = this.received.toByteArray();
		}
		List<byte[]> headers = new ArrayList<>();
		try {
			DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
			while (in.available() > 0) {
				int type = in.readUnsignedByte();
				in.readUnsignedShort(); // channel
				byte[] payload = new byte[in.readInt()];
				in.readFully(payload);
				if (in.readUnsignedByte() != 0xCE) {
					throw new IllegalStateException("not an AMQP frame end");
				}
				if (type == FRAME_HEADER) {
					// class id (2), weight (2), body size (8), then the property list
					headers.add(Arrays.copyOfRange(payload, 12, payload.length));
				}
			}
		}
		catch (EOFException ex) {
			// a frame still being received
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return headers;
	}

	private final class TappedSocket extends Socket {

		@Override
		public InputStream getInputStream() throws IOException {
			return new FilterInputStream(super.getInputStream()) {

				@Override
				public int read() throws IOException {
					int b = super.read();
					if (b >= 0) {
						synchronized (TappingSocketFactory.this.received) {
							TappingSocketFactory.this.received.write(b);
						}
					}
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					int n = super.read(buffer, offset, length);
					if (n > 0) {
						synchronized (TappingSocketFactory.this.received) {
							TappingSocketFactory.this.received.write(buffer, offset, n);
						}
					}
					return n;
				}

			};
		}

	}

}
