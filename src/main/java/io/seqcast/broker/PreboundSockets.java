package io.seqcast.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.server.ServerSocketFactory;

/**
 * Server sockets bound before the broker starts, so every listener port (including an ephemeral one) is known
 * when the configuration is written, and a port cannot be taken by someone else between choosing and binding it.
 * The broker's socket servers take them over through {@link #openServerSocket}; the ones never taken are closed by
 * {@link #close()}.
 */
final class PreboundSockets implements ServerSocketFactory, AutoCloseable {

    private static final int LISTEN_BACKLOG = 50;

    private final String host;
    private final Map<String, ServerSocketChannel> unclaimed = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();

    PreboundSockets(String host) {
        this.host = host;
    }

    /**
     * Binds a socket for the listener.
     *
     * @param port the port to bind, 0 for a free one
     * @return the bound port
     */
    synchronized int bind(String listenerName, int port) {
        String key = listenerName.toUpperCase(Locale.ROOT);
        try {
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.configureBlocking(false);
                channel.socket().setReuseAddress(true);
                channel.socket().bind(new InetSocketAddress(host, port), LISTEN_BACKLOG);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            unclaimed.put(key, channel);
            int bound = channel.socket().getLocalPort();
            ports.put(key, bound);
            return bound;
        } catch (BindException e) {
            throw new IllegalStateException(
                    "Could not bind listener " + listenerName + " to " + host + ":" + port
                            + " (" + e.getMessage()
                            + "). Another process holds the port: stop it, or use port 0 to pick"
                            + " a free one.",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not bind listener " + listenerName + " to " + host + ":" + port, e);
        }
    }

    synchronized int port(String listenerName) {
        Integer port = ports.get(listenerName.toUpperCase(Locale.ROOT));
        if (port == null) {
            throw new IllegalStateException("No socket was bound for listener " + listenerName);
        }
        return port;
    }

    @Override
    public synchronized ServerSocketChannel openServerSocket(
            String listenerName, InetSocketAddress address, int listenBacklogSize, int recvBufferSize)
            throws IOException {
        ServerSocketChannel channel = unclaimed.remove(listenerName.toUpperCase(Locale.ROOT));
        if (channel == null) {
            return ServerSocketFactory.INSTANCE.openServerSocket(
                    listenerName, address, listenBacklogSize, recvBufferSize);
        }
        return channel;
    }

    /** Closes the sockets the broker did not take over; the broker closes the others on shutdown. */
    @Override
    public synchronized void close() {
        IOException failure = null;
        for (ServerSocketChannel channel : unclaimed.values()) {
            try {
                channel.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        unclaimed.clear();
        if (failure != null) {
            throw new UncheckedIOException("Could not close unused listener sockets", failure);
        }
    }
}
