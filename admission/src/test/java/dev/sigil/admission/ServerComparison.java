package dev.sigil.admission;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sigil.admission.tls.TlsMaterial;
import dev.sigil.oci.registry.RegistryOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Not a test: the load benchmark's other HTTP servers, serving the very {@link AdmissionHandler} that
 * {@link AdmissionServer} serves with Jetty, over the same TLS certificate, so {@code benchmarks/admission-load.sh} can
 * compare them under the same wrk load. Run as
 * {@code ServerComparison jdk|netty PORT POLICY_DIR TLS_CERT TLS_KEY AUDIT_LOG} (loopback only; plain HTTP to loopback registries).
 *
 * <ul>
 *   <li>{@code jdk}: the JDK's {@code HttpsServer} (HTTP/1.1 only), a fixed pool of 32 threads; run it with
 *       {@code -Dsun.net.httpserver.nodelay=true}, without which Nagle's algorithm meets delayed ACKs.
 *   <li>{@code netty}: Netty 4.2, NIO, the JDK's TLS (or BoringSSL with {@code -Dbench.openssl=true} when
 *       netty-tcnative is on the class path), HTTP/1.1 with an aggregator, TCP_NODELAY.
 * </ul>
 */
public final class ServerComparison {
  private ServerComparison() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int port = Integer.parseInt(args[1]);
    AdmissionHandler handler =
        AdmissionServer.builder()
            .policies(Path.of(args[2]))
            .registry(RegistryOptions.builder().requestTimeout(Duration.ofSeconds(8)).build())
            .audit(new java.io.FileOutputStream(args[5], true), true)
            .buildHandler();
    TlsMaterial tls = TlsMaterial.load(Path.of(args[3]), Path.of(args[4]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(tls.keyStore(), tls.password());
    switch (kind) {
      case "jdk" -> jdk(handler, kmf, port);
      case "netty" -> netty(handler, kmf, port);
      default -> throw new IllegalArgumentException("jdk or netty");
    }
    System.err.println("serving " + kind + " on https://127.0.0.1:" + port);
    Thread.currentThread().join();
  }

  private static void jdk(AdmissionHandler handler, KeyManagerFactory kmf, int port) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.setExecutor(Executors.newFixedThreadPool(32));
    server.createContext("/", exchange -> {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(handler.maxRequestBytes() + 1);
      }
      AdmissionHandler.Reply r = body.length > handler.maxRequestBytes()
          ? handler.tooLarge()
          : handler.handle(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body).join();
      exchange.getResponseHeaders().set("Content-Type", r.contentType());
      exchange.sendResponseHeaders(r.status(), r.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(r.body());
      }
    });
    server.start();
  }

  private static void netty(AdmissionHandler handler, KeyManagerFactory kmf, int port) throws Exception {
    SslContext ssl = SslContextBuilder.forServer(kmf)
        .sslProvider(Boolean.getBoolean("bench.openssl") ? SslProvider.OPENSSL : SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2")
        .build();
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
            ch.pipeline().addLast(new HttpServerCodec());
            ch.pipeline().addLast(new HttpObjectAggregator(handler.maxRequestBytes()));
            ch.pipeline().addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                byte[] body = ByteBufUtil.getBytes(req.content());
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                String path = req.uri();
                int q = path.indexOf('?');
                handler.handle(req.method().name(), q < 0 ? path : path.substring(0, q), body).thenAccept(r -> {
                  FullHttpResponse resp = new DefaultFullHttpResponse(
                      HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
                  resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
                  resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
                  if (keepAlive) {
                    ctx.writeAndFlush(resp);
                  } else {
                    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                  }
                });
              }
            });
          }
        })
        .bind("127.0.0.1", port)
        .sync();
  }
}
