/*
 * test_eater.c: the eater library against a scripted stand-in hub
 * (standin_hub.py, Debian's python3-websockets) on loopback: the hello and
 * its filters, client-side filtering, dumpling_count with its 4102 close,
 * fragmented messages, reconnect after a loss and after a refusal, a hub
 * that sends garbage, and the library on the caller's loop.
 * Every run has a watchdog; every stand-in is killed on every exit path.
 */
#include "eater.h"
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define WATCHDOG_MS 20000

struct standin {
	pid_t pid;
	int port;
	char dir[64];
	char send[128];
	char log[128];
};

struct run {
	uv_loop_t loop;
	uv_timer_t watchdog;
	struct nd_eater *e;
	bool timed_out;
	int connects;
	int lost_connected;
	int lost_refused;
	enum nd_eater_done stopped;
	int stopped_calls;
	char chefs_seen[64][32];
	size_t n_seen;
	size_t max_len;
	uv_timer_t later; /* starts a stand-in late, for the refused test */
	struct standin *late;
	char hub[64]; /* the address the eater is given */
};

/* Stand-ins still running; killed by the teardown whatever happened. */
static struct standin *live[4];

static void live_add(struct standin *s)
{
	for (int i = 0; i < 4; i++)
		if (!live[i]) {
			live[i] = s;
			return;
		}
}

static const char *script_dir(void)
{
	const char *d = getenv("ND_EATER_TEST_DIR");

	return d ? d : ".";
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[8192];
	size_t n;

	if (!f)
		return strcpy(buf, "");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Starts the stand-in with `messages` (one per line); port 0 picks one. */
static void standin_start(struct standin *s, const char *messages, int close_after, int port)
{
	int pfd[2];
	char script[512], ca[16], portarg[16], line[64];
	FILE *f;

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/nd-eater-test.XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->send, sizeof(s->send), "%s/send", s->dir);
	snprintf(s->log, sizeof(s->log), "%s/log", s->dir);
	write_file(s->send, messages);
	snprintf(script, sizeof(script), "%s/standin_hub.py", script_dir());
	snprintf(ca, sizeof(ca), "%d", close_after);
	snprintf(portarg, sizeof(portarg), "%d", port);
	assert_int_equal(pipe(pfd), 0);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		execl("/usr/bin/python3", "python3", script, "--send", s->send, "--log", s->log,
		      "--close-after", ca, "--port", portarg, (char *)NULL);
		_exit(127);
	}
	live_add(s);
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	assert_non_null(f);
	if (!fgets(line, sizeof(line), f) || sscanf(line, "PORT %d", &s->port) != 1) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		fclose(f);
		fail_msg("stand-in hub did not start");
	}
	fclose(f);
}

static void standin_stop(struct standin *s)
{
	char cmd[128];

	for (int i = 0; i < 4; i++)
		if (live[i] == s)
			live[i] = NULL;
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	if (s->dir[0] && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", s->dir);
	s->dir[0] = '\0';
}

/* A TCP port with nothing listening on it (bound, then released). */
static int free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void on_connect(struct nd_eater *e, const char *url, void *user)
{
	struct run *r = user;

	(void)e;
	assert_non_null(strstr(url, "ws://127.0.0.1:"));
	r->connects++;
}

static void on_dumpling(struct nd_eater *e, const struct nd_eater_dumpling *d, void *user)
{
	struct run *r = user;

	(void)e;
	assert_non_null(d->view.chef);
	assert_int_equal(strlen(d->text), d->len);
	if (d->len > r->max_len)
		r->max_len = d->len;
	if (r->n_seen < 64)
		snprintf(r->chefs_seen[r->n_seen++], 32, "%s", d->view.chef);
}

static void on_lost(struct nd_eater *e, bool was_connected, const char *why, void *user)
{
	struct run *r = user;

	(void)e;
	assert_non_null(why);
	if (was_connected)
		r->lost_connected++;
	else
		r->lost_refused++;
}

static void on_stopped(struct nd_eater *e, enum nd_eater_done why, void *user)
{
	struct run *r = user;

	(void)e;
	r->stopped = why;
	r->stopped_calls++;
	uv_close((uv_handle_t *)&r->watchdog, NULL);
}

static void on_watchdog(uv_timer_t *t)
{
	struct run *r = t->data;

	r->timed_out = true;
	nd_eater_stop(r->e, 0);
}

static void start_late(uv_timer_t *t)
{
	struct run *r = t->data;
	struct standin *s = r->late;
	int port = s->port;

	standin_start(s, "{\"metadata\":{\"chef\":\"A\"},\"payload\":1}\n", 0, port);
	uv_close((uv_handle_t *)t, NULL);
}

/* The test's callbacks and short backoffs into cfg; the test's own loop
 * with its watchdog. */
static void prepare_run(struct run *r, struct nd_eater_config *cfg)
{
	cfg->size = sizeof(*cfg);
	cfg->on_connect = on_connect;
	cfg->on_dumpling = on_dumpling;
	cfg->on_lost = on_lost;
	cfg->on_stopped = on_stopped;
	cfg->user = r;
	cfg->backoff_min_ms = 50;
	cfg->backoff_max_ms = 200;
	assert_int_equal(uv_loop_init(&r->loop), 0);
	uv_timer_init(&r->loop, &r->watchdog);
	r->watchdog.data = r;
	uv_timer_start(&r->watchdog, on_watchdog, WATCHDOG_MS, 0);
}

/* Runs an eater prepared with prepare_run until it stops (or the watchdog). */
static void run_prepared(struct run *r, struct nd_eater_config *cfg)
{
	struct nd_eater_stats st;

	r->e = nd_eater_new(&r->loop, cfg);
	assert_non_null(r->e);
	assert_int_equal(nd_eater_start(r->e), 0);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	nd_eater_get_stats(r->e, &st);
	assert_int_equal(nd_eater_result(r->e), r->stopped);
	nd_eater_free(r->e);
	assert_int_equal(uv_loop_close(&r->loop), 0);
	assert_false(r->timed_out);
	assert_int_equal(r->stopped_calls, 1);
}

/* Runs an eater of cfg against <scheme>127.0.0.1:<port><path>. */
static void run_eater_at(struct run *r, struct nd_eater_config *cfg, const char *scheme, int port,
			 const char *path)
{
	snprintf(r->hub, sizeof(r->hub), "%s127.0.0.1:%d%s", scheme, port, path);
	cfg->hub = r->hub;
	prepare_run(r, cfg);
	run_prepared(r, cfg);
}

/* Starts a stand-in sending `messages` (closing after close_after of them;
 * 0: never) and runs an eater of cfg against it at 127.0.0.1. */
static void run_against_standin(struct standin *s, struct run *r, struct nd_eater_config *cfg,
				const char *messages, int close_after)
{
	standin_start(s, messages, close_after, 0);
	run_eater_at(r, cfg, "", s->port, "");
}

/* Writes <prefix>{"metadata":{"chef":"<chef>"},"payload":"<n letters>"}
 * and a newline into buf; returns the length. */
static size_t long_dumpling(char *buf, size_t size, const char *prefix, const char *chef,
			    int n)
{
	int len = snprintf(buf, size, "%s{\"metadata\":{\"chef\":\"%s\"},\"payload\":\"", prefix,
			   chef);

	assert_true(len > 0 && (size_t)len + (size_t)n + 4 <= size);
	for (int i = 0; i < n; i++)
		buf[len++] = (char)('a' + i % 26);
	return (size_t)len + (size_t)snprintf(buf + len, size - (size_t)len, "\"}\n");
}

static const char five[] =
	"{\"metadata\":{\"chef\":\"A\",\"kitchen\":\"k1\",\"driver\":\"packet\",\"creation_time\":1.5},\"payload\":{\"n\":1}}\n"
	"{\"metadata\":{\"chef\":\"B\",\"kitchen\":\"k1\",\"driver\":\"interval\",\"creation_time\":2.5},\"payload\":{\"n\":2}}\n"
	"{\"metadata\":{\"chef\":\"A\",\"kitchen\":\"k2\",\"driver\":\"interval\",\"creation_time\":3.5},\"payload\":{\"n\":3}}\n"
	"{\"metadata\":{\"chef\":\"SystemStatusChef\",\"kitchen\":null,\"driver\":\"interval\",\"creation_time\":4.5},\"payload\":{}}\n"
	"{\"metadata\":{\"chef\":\"C\",\"kitchen\":\"k2\",\"driver\":\"packet\",\"creation_time\":5.5},\"payload\":{\"n\":5}}\n";

static void test_count_closes_with_4102(void **state)
{
	struct standin s;
	struct run r = {0};
	struct nd_eater_config cfg = {.name = "counter", .dumpling_count = 3, .no_reconnect = true};

	(void)state;
	run_against_standin(&s, &r, &cfg, five, 0);
	usleep(200 * 1000); /* let the stand-in log the close */
	assert_int_equal(r.stopped, ND_EATER_DONE_COUNT);
	assert_int_equal(r.n_seen, 3);
	assert_string_equal(r.chefs_seen[0], "A");
	assert_string_equal(r.chefs_seen[2], "A");
	assert_non_null(strstr(read_file(s.log), "hello {\"eater_name\":\"counter\"}\n"));
	assert_non_null(strstr(read_file(s.log), "close 4102\n"));
	standin_stop(&s);
}

static void test_filters_sent_and_applied(void **state)
{
	static const char *const chefs[] = {"A", "C"};
	static const char *const kitchens[] = {"k2"};
	struct standin s;
	struct run r = {0};
	struct nd_eater_config cfg = {.name = "f", .chefs = chefs, .n_chefs = 2,
				      .kitchens = kitchens, .n_kitchens = 1, .dumpling_count = 2,
				      .no_reconnect = true};

	(void)state;
	standin_start(&s, five, 0, 0);
	run_eater_at(&r, &cfg, "ws://", s.port, "/any/path");
	assert_int_equal(r.stopped, ND_EATER_DONE_COUNT);
	/* A@k1 and the status dumpling (no kitchen) are filtered out here. */
	assert_int_equal(r.n_seen, 2);
	assert_string_equal(r.chefs_seen[0], "A");
	assert_string_equal(r.chefs_seen[1], "C");
	assert_non_null(strstr(read_file(s.log),
			       "hello {\"eater_name\":\"f\",\"chefs\":[\"A\",\"C\"],\"kitchens\":[\"k2\"]}"));
	standin_stop(&s);
}

static void test_driver_filter(void **state)
{
	struct standin s;
	struct run r = {0};
	/* The stand-in sends all five then waits; stop on the lost connection
	 * is not what we want: count the three interval dumplings instead. */
	struct nd_eater_config cfg = {.drivers = ND_EATER_INTERVAL, .dumpling_count = 3,
				      .no_reconnect = true};

	(void)state;
	run_against_standin(&s, &r, &cfg, five, 1000);
	assert_int_equal(r.n_seen, 3);
	assert_string_equal(r.chefs_seen[0], "B");
	assert_string_equal(r.chefs_seen[1], "A");
	assert_string_equal(r.chefs_seen[2], "SystemStatusChef");
	assert_non_null(strstr(read_file(s.log), "hello {\"eater_name\":\"nameless_eater\"}"));
	standin_stop(&s);
}

static void test_fragmented_message(void **state)
{
	struct standin s;
	struct run r = {0};
	char msgs[4096];
	struct nd_eater_config cfg = {.dumpling_count = 1, .no_reconnect = true};

	(void)state;
	long_dumpling(msgs, sizeof(msgs), "FRAG ", "Frag", 3000);
	run_against_standin(&s, &r, &cfg, msgs, 0);
	assert_int_equal(r.stopped, ND_EATER_DONE_COUNT);
	assert_int_equal(r.n_seen, 1);
	assert_string_equal(r.chefs_seen[0], "Frag");
	assert_int_equal(r.max_len, strlen(msgs) - 6);
	standin_stop(&s);
}

/* One 60 KB frame arrives in many receive callbacks (lws's service buffer
 * is 4 KB): it must be reassembled whole. */
static void test_large_single_frame(void **state)
{
	static char msgs[70000];
	struct standin s;
	struct run r = {0};
	struct nd_eater_config cfg = {.dumpling_count = 2, .no_reconnect = true};
	size_t n;

	(void)state;
	n = long_dumpling(msgs, sizeof(msgs), "", "Big", 60000);
	snprintf(msgs + n, sizeof(msgs) - n, "{\"metadata\":{\"chef\":\"Small\"}}\n");
	run_against_standin(&s, &r, &cfg, msgs, 0);
	assert_int_equal(r.stopped, ND_EATER_DONE_COUNT);
	assert_int_equal(r.n_seen, 2);
	assert_string_equal(r.chefs_seen[0], "Big");
	assert_string_equal(r.chefs_seen[1], "Small");
	assert_int_equal(r.max_len, n - 1);
	standin_stop(&s);
}

static void test_oversize_message_closes_1009(void **state)
{
	static char msgs[8192];
	struct standin s;
	struct run r = {0};
	struct nd_eater_config cfg = {.max_message_bytes = 1000, .no_reconnect = true};

	(void)state;
	long_dumpling(msgs, sizeof(msgs), "", "Big", 5000);
	run_against_standin(&s, &r, &cfg, msgs, 0);
	usleep(200 * 1000);
	assert_int_equal(r.stopped, ND_EATER_DONE_LOST);
	assert_int_equal(r.n_seen, 0);
	assert_non_null(strstr(read_file(s.log), "close 1009\n"));
	standin_stop(&s);
}

static void test_reconnect_after_loss(void **state)
{
	struct standin s;
	struct run r = {0};
	struct nd_eater_config cfg = {.dumpling_count = 5};

	(void)state;
	/* Two dumplings per connection: five need three connections. */
	run_against_standin(&s, &r, &cfg, five, 2);
	assert_int_equal(r.stopped, ND_EATER_DONE_COUNT);
	assert_int_equal(r.n_seen, 5);
	assert_int_equal(r.connects, 3);
	assert_int_equal(r.lost_connected, 2);
	standin_stop(&s);
}

static void test_lost_without_reconnect(void **state)
{
	struct standin s;
	struct run r = {0};
	struct nd_eater_config cfg = {.no_reconnect = true};

	(void)state;
	run_against_standin(&s, &r, &cfg, five, 2);
	assert_int_equal(r.stopped, ND_EATER_DONE_LOST);
	assert_int_equal(r.n_seen, 2);
	assert_int_equal(r.lost_connected, 1);
	standin_stop(&s);
}

static void test_refused_without_reconnect(void **state)
{
	struct run r = {0};
	struct nd_eater_config cfg = {.no_reconnect = true};

	(void)state;
	run_eater_at(&r, &cfg, "", free_port(), "");
	assert_int_equal(r.stopped, ND_EATER_DONE_REFUSED);
	assert_int_equal(r.lost_refused, 1);
	assert_int_equal(r.connects, 0);
}

static void test_refused_then_hub_appears(void **state)
{
	struct standin s = {0};
	struct run r = {0};
	struct nd_eater_config cfg = {.dumpling_count = 1};

	(void)state;
	s.port = free_port();
	snprintf(r.hub, sizeof(r.hub), "127.0.0.1:%d", s.port);
	cfg.hub = r.hub;
	r.late = &s;
	/* The hub comes up 600 ms after the eater starts trying. */
	prepare_run(&r, &cfg);
	uv_timer_init(&r.loop, &r.later);
	r.later.data = &r;
	uv_timer_start(&r.later, start_late, 600, 0);
	run_prepared(&r, &cfg);
	assert_int_equal(r.stopped, ND_EATER_DONE_COUNT);
	assert_true(r.lost_refused >= 2);
	assert_int_equal(r.connects, 1);
	assert_int_equal(r.n_seen, 1);
	standin_stop(&s);
}

static void test_hub_sends_garbage(void **state)
{
	struct standin s;
	struct run r = {0};
	struct nd_eater_config cfg = {.no_reconnect = true};

	(void)state;
	run_against_standin(&s, &r, &cfg, "{\"metadata\":{\"chef\":\"A\"}}\nthis is not json\n", 0);
	usleep(200 * 1000);
	assert_int_equal(r.stopped, ND_EATER_DONE_INVALID);
	assert_int_equal(r.n_seen, 1);
	assert_non_null(strstr(read_file(s.log), "close 1007\n"));
	standin_stop(&s);
}

static void on_stop_at_once(struct nd_eater *e, const char *url, void *user)
{
	(void)url;
	(void)user;
	nd_eater_stop(e, 0);
}

static void test_own_loop_and_stop(void **state)
{
	struct standin s;
	char hub[64];
	struct nd_eater_config cfg = {.size = sizeof(cfg), .on_dumpling = on_dumpling,
				      .on_connect = on_stop_at_once};
	struct run r = {0};
	struct nd_eater *e;

	(void)state;
	standin_start(&s, five, 0, 0);
	snprintf(hub, sizeof(hub), "localhost:%d", s.port);
	cfg.hub = hub;
	cfg.user = &r;
	e = nd_eater_new(NULL, &cfg);
	assert_non_null(e);
	assert_int_equal(nd_eater_start(e), 0);
	assert_int_equal(nd_eater_run(e), 0);
	assert_int_equal(nd_eater_result(e), ND_EATER_DONE_STOPPED);
	nd_eater_free(e);
	usleep(200 * 1000);
	assert_non_null(strstr(read_file(s.log), "close 4101\n"));
	standin_stop(&s);
}

static void test_bad_config(void **state)
{
	struct nd_eater_config cfg = {.size = sizeof(cfg), .on_dumpling = on_dumpling,
				      .hub = "not a host:99999"};

	(void)state;
	assert_null(nd_eater_new(NULL, &cfg));
	cfg.hub = NULL;
	cfg.on_dumpling = NULL;
	assert_null(nd_eater_new(NULL, &cfg));
	cfg.on_dumpling = on_dumpling;
	nd_eater_free(nd_eater_new(NULL, &cfg)); /* never started: nothing to tear down */
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 4; i++)
		if (live[i])
			standin_stop(live[i]);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_count_closes_with_4102, teardown),
		cmocka_unit_test_teardown(test_filters_sent_and_applied, teardown),
		cmocka_unit_test_teardown(test_driver_filter, teardown),
		cmocka_unit_test_teardown(test_fragmented_message, teardown),
		cmocka_unit_test_teardown(test_large_single_frame, teardown),
		cmocka_unit_test_teardown(test_oversize_message_closes_1009, teardown),
		cmocka_unit_test_teardown(test_reconnect_after_loss, teardown),
		cmocka_unit_test_teardown(test_lost_without_reconnect, teardown),
		cmocka_unit_test_teardown(test_refused_without_reconnect, teardown),
		cmocka_unit_test_teardown(test_refused_then_hub_appears, teardown),
		cmocka_unit_test_teardown(test_hub_sends_garbage, teardown),
		cmocka_unit_test_teardown(test_own_loop_and_stop, teardown),
		cmocka_unit_test_teardown(test_bad_config, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
