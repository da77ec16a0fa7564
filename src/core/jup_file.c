/* jup_file.c - read-only file mapping. */
#include "core/jup_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

jup_status jup_file_map(const char *path, int64_t max, jup_file *m, jup_err *err)
{
	m->fd = open(path, O_RDONLY | O_CLOEXEC);
	m->data = NULL;
	m->len = 0;
	if (m->fd < 0)
		return jup_err_set(err, JUP_ERR_IO, "could not open \"%s\": %s", path,
				   strerror(errno));
	struct stat sb;
	if (fstat(m->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(m->fd);
		return jup_err_set(err, JUP_ERR_IO, "\"%s\" is not a regular file", path);
	}
	if (sb.st_size > max) {
		close(m->fd);
		return jup_err_set(err, JUP_ERR_LIMIT, "\"%s\" is larger than %lld bytes", path,
				   (long long)max);
	}
	m->len = (size_t)sb.st_size;
	if (m->len == 0)
		return JUP_OK;
	m->data = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE, m->fd, 0);
	if (m->data == MAP_FAILED) {
		m->data = NULL;
		close(m->fd);
		return jup_err_set(err, JUP_ERR_IO, "could not read \"%s\": %s", path,
				   strerror(errno));
	}
	madvise(m->data, m->len, MADV_SEQUENTIAL);
	return JUP_OK;
}

void jup_file_unmap(jup_file *m)
{
	if (m->data)
		munmap(m->data, m->len);
	if (m->fd >= 0)
		close(m->fd);
}

