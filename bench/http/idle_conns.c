/* Opens N keep-alive HTTP connections to 127.0.0.1:PORT, sends one "GET /" on each and reads its response, then
 * holds them all open and idle: prints "ready" and waits until stdin closes. bench/http/run.sh reads the server's
 * RSS before and after to get the memory per idle keep-alive connection. Usage: idle_conns PORT N */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: idle_conns PORT N\n"); return 2; }
    int port = atoi(argv[1]), n = atoi(argv[2]);
    int *fds = calloc((size_t)n, sizeof *fds);
    static const char req[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    char buf[4096];
    for (int i = 0; i < n; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)&addr, sizeof addr) != 0) { perror("connect"); return 1; }
        if (write(fds[i], req, sizeof req - 1) != (ssize_t)(sizeof req - 1)) { perror("write"); return 1; }
        /* Every server here answers "OK" with its headers in one segment: one read holds the whole response. */
        ssize_t got = read(fds[i], buf, sizeof buf);
        if (got <= 0 || memcmp(buf, "HTTP/1.1 200", 12) != 0) { fprintf(stderr, "bad response on connection %d\n", i); return 1; }
    }
    printf("ready\n");
    fflush(stdout);
    while (read(0, buf, sizeof buf) > 0) {}
    for (int i = 0; i < n; i++) close(fds[i]);
    return 0;
}
