/* The floor for bench/http: the least a server can do per request on this machine with the same method.
 *
 * One thread, level-triggered epoll, non-blocking sockets, TCP_NODELAY. Every complete request head (ended by an
 * empty line) is answered with the same 2-byte response; pipelined heads read together are answered with one write.
 * No parsing beyond finding the blank line, no bodies, no error handling past closing the connection: it is a
 * measuring stick, not a server. Usage: http_epoll PORT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FD 65536
#define BUF 16384

static const char response[] =
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok";

struct conn { char in[BUF]; size_t used; char matched; };
static struct conn *conns[MAX_FD];
static char out[BUF * 4];

/* Counts request heads completed in data; `matched` carries how much of "\r\n\r\n" ended the previous read. */
static int count_heads(struct conn *c, const char *data, size_t n) {
    static const char end[] = "\r\n\r\n";
    int heads = 0;
    for (size_t i = 0; i < n; i++) {
        if (data[i] == end[(int)c->matched]) {
            if (++c->matched == 4) { heads++; c->matched = 0; }
        } else {
            c->matched = data[i] == '\r' ? 1 : 0;
        }
    }
    return heads;
}

static void drop(int ep, int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    free(conns[fd]);
    conns[fd] = NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s PORT\n", argv[0]); return 2; }
    int one = 1;
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(ls, (struct sockaddr *)&addr, sizeof addr) || listen(ls, 4096)) { perror("listen"); return 1; }
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = ls };
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    struct epoll_event events[1024];
    size_t rlen = sizeof response - 1;
    for (;;) {
        int n = epoll_wait(ep, events, 1024, -1);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == ls) {
                int c;
                while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (c >= MAX_FD) { close(c); continue; }
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conns[c] = calloc(1, sizeof(struct conn));
                    struct epoll_event cev = { .events = EPOLLIN, .data.fd = c };
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
                }
                continue;
            }
            struct conn *c = conns[fd];
            ssize_t got = recv(fd, c->in, BUF, 0);
            if (got <= 0) {
                if (got < 0 && errno == EAGAIN) continue;
                drop(ep, fd);
                continue;
            }
            int heads = count_heads(c, c->in, (size_t)got);
            size_t len = 0;
            for (int h = 0; h < heads; h++) {
                if (len + rlen > sizeof out) {
                    if (send(fd, out, len, MSG_NOSIGNAL) < 0) break;
                    len = 0;
                }
                memcpy(out + len, response, rlen);
                len += rlen;
            }
            /* A short or failed write would need buffering; at these sizes the kernel always takes it. */
            if (len > 0 && send(fd, out, len, MSG_NOSIGNAL) != (ssize_t)len) drop(ep, fd);
        }
    }
}
