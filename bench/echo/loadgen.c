/*
 * loadgen: the common load generator for Twine's side-by-side echo benchmark (bench/echo/run.sh).
 *
 * One thread, one epoll set, N TCP connections to 127.0.0.1:PORT. It is written to cost as little as possible per
 * round trip (one recv + one send per message, no allocation, level-triggered epoll). The kernel's loopback path
 * still costs it about what it costs the server, so on a 2-core machine it can come close to saturating its core
 * first; it reports its own CPU use next to the server's so a reader can see when that happens.
 *
 * Modes:
 *   loadgen wait  PORT [TIMEOUT_S]
 *       Retries connecting until the server accepts (exit 0) or the timeout passes (exit 1).
 *   loadgen echo  PORT CONNS MSG_BYTES WARMUP_S DURATION_S SERVER_PID
 *       Ping-pong: every connection keeps exactly one MSG_BYTES message in flight; when all of it has come back
 *       the next one is sent. After WARMUP_S the round-trip counter and the server's utime+stime
 *       (/proc/PID/stat) are sampled, and again after DURATION_S more. Prints one key=value line.
 *   loadgen idle  PORT CONNS SERVER_PID [SETTLE_MS]
 *       Opens CONNS connections, makes each do one 1-byte round trip (so the server has certainly accepted it and
 *       built its per-connection state), leaves them idle, and reports the growth of the server's VmRSS divided by
 *       CONNS, read SETTLE_MS (default 2000) after the last one. A warm-up of up to 200 connections (opened,
 *       pinged, closed) runs first so one-off costs such as JIT compilation of the accept path are not charged to
 *       the idle connections.
 *
 * Build: gcc -O2 -o loadgen loadgen.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_MSG (64 * 1024)

typedef struct {
    int fd;
    int to_receive; /* bytes of the current message still to come back */
    int sent;       /* bytes of the current message written so far (== msg when fully sent) */
    int want_out;   /* EPOLLOUT registered because a send was short */
} conn_t;

static int g_port;
static int g_msg;
static char g_out[MAX_MSG];
static char g_in[MAX_MSG];

static void die(const char *what) {
    fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
    exit(2);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void raise_nofile(void) {
    /* The script raises ulimit -n too; do it here as well so the tool works when run by hand. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* Blocking connect to 127.0.0.1:port; returns the fd or -1 (errno set). */
static int connect_one(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    int one = 1;
    /* Without TCP_NODELAY a message the server echoes in two pieces could wait for a delayed ACK (40 ms). */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* utime+stime of a process, in clock ticks, from /proc/PID/stat (all threads). */
static long long proc_cpu_ticks(int pid) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    /* The command name (field 2) may contain spaces and parentheses: parse from the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p) return -1;
    p += 2; /* now at field 3, the state */
    long long utime = 0, stime = 0;
    for (int field = 3; field <= 15 && *p; field++) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (field == 14) utime = v;
        if (field == 15) stime = v;
        p = strchr(p, ' ');
        if (!p) break;
        p++;
    }
    return utime + stime;
}

/* VmRSS of a process in KiB, from /proc/PID/status. */
static long proc_rss_kb(int pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

static double self_cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int mode_wait(int argc, char **argv) {
    int port = atoi(argv[2]);
    double timeout = argc > 3 ? atof(argv[3]) : 30.0;
    double deadline = now_s() + timeout;
    while (now_s() < deadline) {
        int fd = connect_one(port);
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        usleep(50 * 1000);
    }
    fprintf(stderr, "loadgen: nothing accepted on 127.0.0.1:%d within %.0f s\n", port, timeout);
    return 1;
}

/* Writes the rest of the current message; registers for EPOLLOUT if the socket buffer is full. */
static void pump_send(int ep, conn_t *c) {
    while (c->sent < g_msg) {
        ssize_t w = send(c->fd, g_out + c->sent, (size_t)(g_msg - c->sent), MSG_NOSIGNAL);
        if (w > 0) {
            c->sent += (int)w;
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!c->want_out) {
                struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                c->want_out = 1;
            }
            return;
        }
        if (w < 0 && errno == EINTR) continue;
        die("send");
    }
    if (c->want_out) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        c->want_out = 0;
    }
}

static int set_nonblock(int fd) {
    int fl = fcntl(fd, F_GETFL, 0);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int mode_echo(int argc, char **argv) {
    if (argc < 8) {
        fprintf(stderr, "usage: loadgen echo PORT CONNS MSG_BYTES WARMUP_S DURATION_S SERVER_PID\n");
        return 2;
    }
    g_port = atoi(argv[2]);
    int nconn = atoi(argv[3]);
    g_msg = atoi(argv[4]);
    double warmup = atof(argv[5]);
    double duration = atof(argv[6]);
    int pid = atoi(argv[7]);
    if (g_msg < 1 || g_msg > MAX_MSG || nconn < 1) {
        fprintf(stderr, "loadgen: bad CONNS or MSG_BYTES\n");
        return 2;
    }
    for (int i = 0; i < g_msg; i++) g_out[i] = (char)('a' + i % 26);

    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    conn_t *conns = calloc((size_t)nconn, sizeof *conns);
    for (int i = 0; i < nconn; i++) {
        int fd = connect_one(g_port);
        if (fd < 0) die("connect");
        if (set_nonblock(fd) < 0) die("fcntl");
        conns[i].fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[i]};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
    }

    /* Start every connection's first message; the clock starts now, and the warm-up absorbs the ramp. */
    double t0 = now_s();
    for (int i = 0; i < nconn; i++) {
        conns[i].to_receive = g_msg;
        conns[i].sent = 0;
        pump_send(ep, &conns[i]);
    }

    enum { WARMING, MEASURING } phase = WARMING;
    double t_warm_end = t0 + warmup, t_end = t_warm_end + duration;
    unsigned long long rt = 0, rt_start = 0;
    long long cpu_start = 0;
    double t_start = 0, self_start = 0;
    int maxev = nconn < 1024 ? nconn : 1024;
    struct epoll_event *evs = calloc((size_t)maxev, sizeof *evs);
    for (;;) {
        int n = epoll_wait(ep, evs, maxev, 10);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int k = 0; k < n; k++) {
            conn_t *c = evs[k].data.ptr;
            if (evs[k].events & EPOLLOUT) pump_send(ep, c);
            if (evs[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
                ssize_t r = recv(c->fd, g_in, sizeof g_in, 0);
                if (r > 0) {
                    c->to_receive -= (int)r;
                    if (c->to_receive <= 0) {
                        if (c->to_receive < 0) {
                            fprintf(stderr, "loadgen: server sent more than it was sent\n");
                            return 3;
                        }
                        rt++;
                        c->to_receive = g_msg;
                        c->sent = 0;
                        pump_send(ep, c);
                    }
                } else if (r == 0) {
                    fprintf(stderr, "loadgen: server closed a connection\n");
                    return 3;
                } else if (errno != EAGAIN && errno != EINTR) {
                    die("recv");
                }
            }
        }
        double t = now_s();
        if (phase == WARMING && t >= t_warm_end) {
            /* Sample the server's CPU as close as possible to the counter, so both cover the same window. */
            cpu_start = proc_cpu_ticks(pid);
            rt_start = rt;
            t_start = now_s();
            self_start = self_cpu_s();
            phase = MEASURING;
        } else if (phase == MEASURING && t >= t_end) {
            long long cpu_end = proc_cpu_ticks(pid);
            double t_stop = now_s();
            double self_end = self_cpu_s();
            unsigned long long trips = rt - rt_start;
            double secs = t_stop - t_start;
            double tick_us = 1e6 / (double)sysconf(_SC_CLK_TCK);
            double cpu_us = (cpu_start < 0 || cpu_end < 0) ? -1 : (double)(cpu_end - cpu_start) * tick_us;
            printf("conns=%d msg=%d secs=%.3f round_trips=%llu rt_per_s=%.0f server_cpu_us=%.0f "
                   "server_cpu_us_per_rt=%.3f server_cpu_pct=%.1f client_cpu_pct=%.1f\n",
                   nconn, g_msg, secs, trips, trips / secs, cpu_us,
                   trips ? cpu_us / (double)trips : -1.0, cpu_us / (secs * 1e6) * 100.0,
                   (self_end - self_start) / secs * 100.0);
            fflush(stdout);
            for (int i = 0; i < nconn; i++) close(conns[i].fd);
            return 0;
        }
    }
}

/* Pings every connection in [from, to) with one byte and waits until each has echoed it. */
static void ping_all(int *fds, int from, int to) {
    char b = 'x', in[16];
    for (int i = from; i < to; i++)
        if (send(fds[i], &b, 1, MSG_NOSIGNAL) != 1) die("send (idle ping)");
    for (int i = from; i < to; i++) {
        ssize_t r;
        do r = recv(fds[i], in, sizeof in, 0); while (r < 0 && errno == EINTR);
        if (r != 1) {
            if (r == 0) errno = ECONNRESET;
            die("recv (idle ping)");
        }
    }
}

static int mode_idle(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: loadgen idle PORT CONNS SERVER_PID [SETTLE_MS]\n");
        return 2;
    }
    int port = atoi(argv[2]);
    int nconn = atoi(argv[3]);
    int pid = atoi(argv[4]);
    int settle_ms = argc > 5 ? atoi(argv[5]) : 2000;
    enum { MAX_WARM = 200, BATCH = 250 };
    if (nconn < 1) {
        fprintf(stderr, "loadgen: bad CONNS\n");
        return 2;
    }

    int warm[MAX_WARM], nwarm = nconn < MAX_WARM ? nconn : MAX_WARM;
    for (int i = 0; i < nwarm; i++)
        if ((warm[i] = connect_one(port)) < 0) die("connect (warm-up)");
    ping_all(warm, 0, nwarm);
    for (int i = 0; i < nwarm; i++) close(warm[i]);
    usleep((useconds_t)settle_ms * 500);

    long before = proc_rss_kb(pid);
    int *fds = calloc((size_t)nconn, sizeof *fds);
    /* Connect in batches and ping each batch, so the server's accept queue never overflows (an overflowing
       queue drops SYNs and costs a 1 s retransmit, but would not change the figure). */
    for (int i = 0; i < nconn; i += BATCH) {
        int end = i + BATCH < nconn ? i + BATCH : nconn;
        for (int j = i; j < end; j++)
            if ((fds[j] = connect_one(port)) < 0) {
                fprintf(stderr, "loadgen: connection %d: ", j);
                die("connect");
            }
        ping_all(fds, i, end);
    }
    /* Let the server settle (deferred frees, GC) before reading its RSS. */
    usleep((useconds_t)settle_ms * 1000);
    long after = proc_rss_kb(pid);
    double per = (double)(after - before) * 1024.0 / nconn;
    printf("conns=%d rss_before_kb=%ld rss_after_kb=%ld bytes_per_conn=%.0f\n", nconn, before, after, per);
    fflush(stdout);
    for (int i = 0; i < nconn; i++) close(fds[i]);
    return 0;
}

int main(int argc, char **argv) {
    raise_nofile();
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 3 && strcmp(argv[1], "wait") == 0) return mode_wait(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "echo") == 0) return mode_echo(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "idle") == 0) return mode_idle(argc, argv);
    fprintf(stderr, "usage: loadgen wait|echo|idle ... (see the comment at the top of loadgen.c)\n");
    return 2;
}
