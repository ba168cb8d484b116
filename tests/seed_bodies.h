/*
 * The API page's examples (../shared/ges-api/seed-job-status.txt), byte for
 * byte as tests/data/seed-200.json and seed-400.json hold them. One copy for
 * every C test.
 */
#ifndef GES_TEST_SEED_BODIES_H
#define GES_TEST_SEED_BODIES_H

static const char SEED_200[] =
    "{\n"
    "\"jobId\": \"ff80808167f09aaa0167f19b35ec0305\",\n"
    "\"status\": \"success\",\n"
    "\"jobType\": \"GraphManagement\",\n"
    "\"jobName\": \"ImportGraph\",\n"
    "\"relatedGraph\": \"GES_UI_AUTO\",\n"
    "\"beginTime\": \"2018-11-27T21:39:00\",\n"
    "\"endTime\": \"2018-11-27T21:39:56\",\n"
    "\"jobDetail\": {\n"
    "\"vertexsetPath\": [\n"
    "{\n"
    "\"path\": \"ges-ui/auDatas/list_set_vertex.csv\",\n"
    "\"log\": null,\n"
    "\"cause\": null,\n"
    "\"status\": \"success\"\n"
    "}\n"
    "],\n"
    "\"edgesetPath\": [\n"
    "{\n"
    "\"path\": \"ges-ui/auDatas/list_set_edge.csv\",\n"
    "\"log\": null,\n"
    "\"cause\": null,\n"
    "\"status\": \"success\"\n"
    "}\n"
    "],\n"
    "\"schemaPath\": [\n"
    "{\n"
    "\"path\": \"ges-ui/auDatas/list_set_schema.xml\",\n"
    "\"log\": null,\n"
    "\"cause\": null,\n"
    "\"status\": \"success\"\n"
    "}\n"
    "]\n"
    "},\n"
    "\"jobProgress\": 0\n"
    "}\n";

static const char SEED_400[] =
    "{\n"
    "\"errorMessage\" : \"can not find job, jobId is ff808081646e81d40164c5fb414b2b1a1\",\n"
    "\"errorCode\" : \"GES.8301\"\n"
    "}\n";

#endif
