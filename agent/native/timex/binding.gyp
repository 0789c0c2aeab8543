{
  "targets": [
    {
      "target_name": "timex",
      "sources": ["timex.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    }
  ]
}
