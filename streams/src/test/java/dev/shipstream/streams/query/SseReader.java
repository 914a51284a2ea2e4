package dev.shipstream.streams.query;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A raw-socket client of a Server-Sent Events stream (HTTP/1.1, chunked) that collects what it reads on its own
 * thread. A socket rather than {@code java.net.http.HttpClient}, whose body handlers would hide whether the server
 * sent the headers at once.
 */
public final class SseReader implements AutoCloseable {
    /** One event: its id, its name and its data line. */
    public record Event(String id, String name, String data) {
    }

    private final Socket socket;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final StringBuilder headers = new StringBuilder();
    private final Thread thread;

    private SseReader(Socket socket) {
        this.socket = socket;
        this.thread = new Thread(this::read, "sse-reader");
        thread.setDaemon(true);
    }

    /** Connects and asks for the stream at {@code path}; reading starts at once. */
    public static SseReader open(int port, String path) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        SseReader reader = new SseReader(socket);
        reader.thread.start();
        return reader;
    }

    /** The events read so far. */
    public List<Event> events() {
        return events;
    }

    /** The comment lines read so far, without the colon. */
    public List<String> comments() {
        return comments;
    }

    /** The response's status line and headers, lower case. */
    public synchronized String headers() {
        return headers.toString().toLowerCase(Locale.ROOT);
    }

    private void read() {
        try (InputStream in = socket.getInputStream()) {
            BufferedReader lines = new BufferedReader(
                    new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.isEmpty()) {
                synchronized (this) {
                    headers.append(line).append('\n');
                }
            }
            String id = null;
            String name = null;
            String data = null;
            while ((line = lines.readLine()) != null) {
                // Chunk-size lines of the chunked encoding are hex digits alone; SSE lines never are.
                if (line.matches("[0-9a-fA-F]+")) {
                    continue;
                }
                if (line.startsWith(":")) {
                    comments.add(line.substring(1).trim());
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.isEmpty() && data != null) {
                    events.add(new Event(id, name, data));
                    id = null;
                    name = null;
                    data = null;
                }
            }
        } catch (IOException e) {
            // The socket was closed.
        }
    }

    @Override
    public void close() throws Exception {
        socket.close();
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}
