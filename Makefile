# 重点项目管理系统 — the two commands that matter: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PASSWORD ?= admin
export DEMO_PASSWORD
# Python's default: compiled modules (and pytest's rewritten test modules) are cached in
# __pycache__ and reused by the next run, even where the environment turns that off: each test
# worker otherwise compiles the project and rewrites ~95 test modules again (~4 s of each start).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install demo test test-quick bench serve require-secret-key messages migrate clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

## Set everything up on a fresh machine and serve the 2020 data and 2021 (plan, Jan–Mar) at http://127.0.0.1:$(PORT)/
demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_admin --username admin
	$(BIN)/python manage.py ensure_demo_users
	@echo "管理员账号: admin  密码: $(DEMO_PASSWORD)  地址: http://127.0.0.1:$(PORT)/"
	@echo "录入员账号: luru_nan（南片）、luru_bei（北片）  领导账号: lingdao  密码均为: $(DEMO_PASSWORD)  月度填报: http://127.0.0.1:$(PORT)/progress/"
	@echo "责任单位联络人: danwei（各业主单位，签收、办理、反馈督办）  督办: http://127.0.0.1:$(PORT)/supervision/  提醒: manage.py send_reminders"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## The whole test suite (browser tests included). DATABASE_URL selects PostgreSQL.
## scripts/system-deps installs the Debian packages the tests drive (as root); without them the
## tests that need them are skipped and the run's last line says so.
PYTEST_WORKERS ?= 2
test: install
	scripts/system-deps
	$(BIN)/pytest -q -n $(PYTEST_WORKERS)

## The quick suite: everything but browser tests, large data sets and tests starting other programs.
test-quick: install
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) -m "not browser and not slow"

## Production: gunicorn + whitenoise; settings from the environment (README, "Production"); gunicorn's
## own in portfolio/gunicorn_conf.py, which the load bench (bench/load_bench.py) starts it with too.
## Refuses to start without SECRET_KEY: the fallback key in settings is public (it is in the repository).
WORKERS ?= 4
BIND ?= 127.0.0.1:$(PORT)
serve: require-secret-key install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py check --deploy --fail-level ERROR
	$(BIN)/gunicorn portfolio.wsgi:application -c portfolio/gunicorn_conf.py --bind $(BIND) --workers $(WORKERS)

require-secret-key:
	@if [ -z "$${SECRET_KEY:-}" ]; then \
	  echo "拒绝启动：没有设置 SECRET_KEY。生产环境必须设置自己的密钥（见 README「Production」），例如：" >&2; \
	  echo '  export SECRET_KEY=$$(python3 -c "import secrets; print(secrets.token_urlsafe(50))")' >&2; \
	  echo "Refusing to start: SECRET_KEY is not set in the environment." >&2; \
	  exit 1; \
	fi

bench: install
	$(BIN)/python bench/run.py

messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
