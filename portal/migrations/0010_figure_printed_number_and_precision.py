"""A figure keeps its number as printed ("40余项") and an English unit, and
its precision gains "about" and calls the vague kind "several"; the two
records of report 000's "40余项" / "40余件" exhibits become one.

The printed numbers below are frozen here for databases loaded before this
migration (load_portal_data sets them from the fixtures afterwards)."""

from django.db import migrations, models

PRINTED = {
    "zhanchu-chengguo-40-yu-xiang": "40余项",
    "zhanqu-bankuai-shu": "5大板块",
    "zhanqu-zhuanqu-shu": "2大专区",
    "gongjiang-zuokejian-meiri-zhibo": "2至3场",
    "zhanqu-rijun-jiedai-canguanzhe": "数千人次",
    "xunlianying-43-ming-peiyu-duixiang": "43名",
    "pilot-units-total": "195家",
    "chan-gai-shidian-pici-shu": "四批",
    "academies-total": "30家",
    "gongjiang-xueyuan-nianjun-peiyang-renci": "超万人次",
    "chengguo-80-baifenbi-lai-zi-gongzuoshi": "80%",
    "lianxu-si-nian-chutai-wenjian-zhichi-baotou": "四年",
    "touru-zijin-1230-wanyuan": "1230万元",
    "xinzhi-shengchanli-peixun-fangxiang": "10个",
    "peixun-1-8-wan-renci": "1.8万人次",
    "liangge-xitu-jidi-cuoshi-shu": "10项",
    "shi-da-xingdong-shu": "十大行动",
    "tuijinhui-jiaoliu-fayan-danwei-shu": "6家",
    "ankangbei-jingsai-40-zhounian": "40周年",
}
MERGED = {"canzhan-chengguo-40-yu-jian": "zhanchu-chengguo-40-yu-xiang"}


def forwards(apps, schema_editor):
    Figure = apps.get_model("portal", "Figure")
    Citation = apps.get_model("portal", "Citation")
    SearchDocument = apps.get_model("portal", "SearchDocument")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in (Figure, apps.get_model("portal", "HistoricalFigure")):
        model.objects.filter(precision="vague").update(precision="several")
    for slug, printed in PRINTED.items():
        Figure.objects.filter(slug=slug, printed="").update(printed=printed)
    figure_type = ContentType.objects.filter(app_label="portal", model="figure").first()
    for old, new in MERGED.items():
        duplicate = Figure.objects.filter(slug=old).first()
        survivor = Figure.objects.filter(slug=new).first()
        if duplicate is None or survivor is None or figure_type is None:
            continue
        Citation.objects.filter(content_type=figure_type, object_id=duplicate.pk).update(object_id=survivor.pk)
        SearchDocument.objects.filter(content_type=figure_type, object_id=duplicate.pk).delete()
        survivor.former_slugs = sorted({*survivor.former_slugs, old})
        survivor.save(update_fields=["former_slugs"])
        duplicate.delete()


def backwards(apps, schema_editor):
    for model in (apps.get_model("portal", "Figure"), apps.get_model("portal", "HistoricalFigure")):
        model.objects.filter(precision="several").update(precision="vague")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0009_search_document_analyzer_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="figure",
            name="former_slugs",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="并入本记录的重复记录的旧标识；旧链接（页内锚点、API 地址）仍指向这里。",
                verbose_name="曾用网址标识",
            ),
        ),
        migrations.AddField(
            model_name="figure",
            name="printed",
            field=models.CharField(
                default="",
                help_text="数字在报告中的写法，逐字照录，如“40余项”“超万人次”“数千人次”。",
                max_length=40,
                verbose_name="数字原文",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="figure",
            name="unit_en",
            field=models.CharField(
                blank=True,
                help_text="复数形式，如 innovations、person-times、yuan；百分数填 %。数值按单位中的“万”“亿”换算。",
                max_length=40,
                verbose_name="英文单位",
            ),
        ),
        migrations.AddField(
            model_name="historicalfigure",
            name="former_slugs",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="并入本记录的重复记录的旧标识；旧链接（页内锚点、API 地址）仍指向这里。",
                verbose_name="曾用网址标识",
            ),
        ),
        migrations.AddField(
            model_name="historicalfigure",
            name="printed",
            field=models.CharField(
                default="",
                help_text="数字在报告中的写法，逐字照录，如“40余项”“超万人次”“数千人次”。",
                max_length=40,
                verbose_name="数字原文",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalfigure",
            name="unit_en",
            field=models.CharField(
                blank=True,
                help_text="复数形式，如 innovations、person-times、yuan；百分数填 %。数值按单位中的“万”“亿”换算。",
                max_length=40,
                verbose_name="英文单位",
            ),
        ),
        migrations.AlterField(
            model_name="figure",
            name="precision",
            field=models.CharField(
                choices=[
                    ("exact", "确数"),
                    ("more_than", "多于（余、超）"),
                    ("about", "近似（约）"),
                    ("several", "概数（数千等）"),
                    ("range", "区间（至）"),
                ],
                default="exact",
                max_length=20,
                verbose_name="精确程度",
            ),
        ),
        migrations.AlterField(
            model_name="figure",
            name="value",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="概数（数千等）不填。",
                max_digits=14,
                null=True,
                verbose_name="数值",
            ),
        ),
        migrations.AlterField(
            model_name="historicalfigure",
            name="precision",
            field=models.CharField(
                choices=[
                    ("exact", "确数"),
                    ("more_than", "多于（余、超）"),
                    ("about", "近似（约）"),
                    ("several", "概数（数千等）"),
                    ("range", "区间（至）"),
                ],
                default="exact",
                max_length=20,
                verbose_name="精确程度",
            ),
        ),
        migrations.AlterField(
            model_name="historicalfigure",
            name="value",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="概数（数千等）不填。",
                max_digits=14,
                null=True,
                verbose_name="数值",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
