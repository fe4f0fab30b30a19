"""Demo service network: 47 authorised repair stations across the country, the Hong Kong
service point with its weekly visit, two service stations per client, two on-site technicians
with a week of visits, and a few technical questions (some published in the knowledge base)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..network.models import AuthorisedStation, ClientStation
from ..network.onsite_models import OnsiteVisit, Technician
from ..network.question_models import KnowledgeArticle, TechQuestion
from ..network.service_point_models import ServicePointItem, ServicePointSchedule, ServicePointVisit
from ..shipments.models import ShipmentLine

HOME = ZoneInfo("Asia/Shanghai")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
# (city, region) of the 47 authorised stations
CITIES = [
    ("北京", "north"), ("天津", "north"), ("石家庄", "north"), ("太原", "north"), ("呼和浩特", "north"), ("唐山", "north"),
    ("沈阳", "northeast"), ("大连", "northeast"), ("长春", "northeast"), ("哈尔滨", "northeast"),
    ("上海", "east"), ("南京", "east"), ("苏州", "east"), ("无锡", "east"), ("徐州", "east"), ("杭州", "east"),
    ("宁波", "east"), ("温州", "east"), ("合肥", "east"), ("福州", "east"), ("厦门", "east"), ("济南", "east"),
    ("青岛", "east"), ("南昌", "east"),
    ("广州", "south"), ("深圳", "south"), ("东莞", "south"), ("佛山", "south"), ("珠海", "south"), ("汕头", "south"),
    ("南宁", "south"), ("海口", "south"),
    ("武汉", "central"), ("长沙", "central"), ("郑州", "central"), ("洛阳", "central"), ("宜昌", "central"),
    ("成都", "southwest"), ("重庆", "southwest"), ("昆明", "southwest"), ("贵阳", "southwest"), ("绵阳", "southwest"),
    ("西安", "northwest"), ("兰州", "northwest"), ("银川", "northwest"), ("西宁", "northwest"), ("乌鲁木齐", "northwest"),
]
BRANDS = ("视佳", "恒信", "联诚", "佳艺", "华通", "鑫达", "安顺")
CLIENT_STATIONS = {
    "HUAXIA": [("HX-SZ", "华夏视界深圳服务站", "深圳", "south", "深圳市福田区华强北路 1002 号"),
               ("HX-BJ", "华夏视界北京服务站", "北京", "north", "北京市海淀区中关村大街 27 号")],
    "PEARL": [("PL-MK", "明珠視聽旺角服務中心", "香港", "hong_kong", "香港九龍旺角彌敦道 688 號"),
              ("PL-KB", "明珠視聽九龍灣維修站", "香港", "hong_kong", "香港九龍灣宏照道 39 號")],
    "LUMIERE": [("LU-PAR", "Lumière SAV Paris", "Paris", "overseas", "45 boulevard de Sébastopol, 75001 Paris"),
                ("LU-LYS", "Lumière SAV Lyon", "Lyon", "overseas", "18 rue de la République, 69002 Lyon")],
    "VISTAMAR": [("VM-MTY", "Vistamar Servicio Monterrey", "Monterrey", "overseas", "Av. Constitución 2050, Monterrey"),
                 ("VM-CDMX", "Vistamar Servicio CDMX", "Ciudad de México", "overseas", "Av. Insurgentes Sur 1602, CDMX")],
}
TECHNICIANS = [("tech.chen@odm.example.com", "55\"–75\" TV, main boards"),
               ("tech.zhao@odm.example.com", "monitors, power boards")]


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HOME).astimezone(timezone.utc)


def _stations(today: date, models: dict) -> AuthorisedStation:
    model_list = list(models.values())
    for n, (city, region) in enumerate(CITIES, start=1):
        until = None
        if n % 16 == 5:
            until = today - timedelta(days=30 + n)  # expired: cannot receive work
        elif n % 5 == 0:
            until = today + timedelta(days=200 + n * 3)
        station = AuthorisedStation(
            code=f"AS-{n:03d}", name=f"{city}{BRANDS[n % len(BRANDS)]}家电维修服务中心", city=city, region=region,
            contact_name=f"{SURNAMES[n % len(SURNAMES)]}经理", contact_phone=f"+86 {400 + n} {1000 + n * 37:04d} {n:04d}"[:20],
            contact_email=f"as{n:03d}@stations.example.cn", address=f"{city}市{'中山' if n % 2 else '人民'}路 {10 + n} 号",
            unit_repair=True, board_repair=n % 3 == 0, onsite=n % 4 == 0,
            authorised_from=today - timedelta(days=365 * (2 + n % 3)), authorised_until=until)
        if n % 6 == 0:
            station.models = model_list[: 2 + n % 3]
        db.session.add(station)
    point = AuthorisedStation(
        code="HK-SP", name="香港服務點 Hong Kong service point", city="香港 Hong Kong", region="hong_kong",
        is_service_point=True, unit_repair=True, board_repair=True, onsite=False,
        contact_name="梁志強 Leung Chi Keung", contact_phone="+852 2418 6633", contact_email="hk-point@odm.example.com",
        address="香港新界葵涌打磚坪街 70 號 麗晶中心 B 座 12 樓", authorised_from=today - timedelta(days=5 * 365))
    db.session.add(point)
    db.session.flush()
    db.session.add(ServicePointSchedule(station_id=point.id, weekday=3, visit_time=time(10, 0),
                                        note="Staff take the 07:30 through-train from Shenzhen; bring the RMA labels."))
    return point


def _service_point(today: date, point: AuthorisedStation, clients: dict, staff: User, bought: dict) -> None:
    last_visit = today - timedelta(days=(today.weekday() - 3) % 7 or 7)
    visit = ServicePointVisit(station_id=point.id, visit_date=last_visit, visitor_id=staff.id,
                              notes="2 cartons of boards; one unit left for the next visit (no packing).")
    db.session.add(visit)
    db.session.flush()
    pearl, lumiere = clients["PEARL"], clients["LUMIERE"]
    items = [
        (pearl, "board", "MB-55A-HK-0041", "main board, no picture", last_visit - timedelta(days=3), visit.id),
        (pearl, "board", "PB-43B-HK-0112", "power board, no standby", last_visit - timedelta(days=2), visit.id),
        (pearl, "unit", "HK55A2409001187", "55\" unit, panel lines", today - timedelta(days=4), None),
        (pearl, "board", "MB-65C-HK-0203", "main board, reboot loop", today - timedelta(days=2), None),
        (lumiere, "unit", "FR43B2407000412", "43\" unit, no sound", today - timedelta(days=1), None),
    ]
    for client, kind, serial, text, received, collected in items:
        model_ids = bought.get(client.id) or [None]
        db.session.add(ServicePointItem(client_id=client.id, station_id=point.id, kind=kind, serial=serial,
                                        description=text, received_on=received, model_id=model_ids[0],
                                        collected_visit_id=collected))


def _onsite(today: date, clients: dict, bought: dict) -> None:
    techs = []
    for email, skills in TECHNICIANS:  # demo logins (people.USERS) of the finished-unit group
        user = db.session.scalar(select(User).where(User.email == email))
        tech = Technician(user_id=user.id, skills=skills)
        db.session.add(tech)
        techs.append(tech)
    db.session.flush()
    huaxia = clients["HUAXIA"]
    model_id = (bought.get(huaxia.id) or [None])[0]
    monday = today - timedelta(days=today.weekday())
    plan = [  # technician, day offset from Monday, start hour, hours, status, address, fault
        (0, 0, 9, 2, "scheduled", "深圳市南山区科技园 88 号 华夏视界展厅", "展厅 3 台 55 寸电视开机无图像"),
        (0, 2, 14, 2, "scheduled", "深圳市福田区华强北路 1002 号 服务站", "批量遥控器无响应，需现场排查"),
        (0, 4, 10, 3, "scheduled", "深圳市宝安区新安街道 28 区 客户仓库", "仓库抽检 10 台，屏幕亮线"),
        (1, 1, 10, 2, "scheduled", "深圳市龙岗区布吉街道 粤宝花园 5 栋", "酒店客房电视频繁重启"),
        (1, 3, 15, 1, "scheduled", "深圳市罗湖区东门中路 2020 号", "显示器偏色，需校准"),
        (0, -7, 9, 2, "confirmed", "深圳市南山区学府路 63 号", "主板更换后无声音"),
        (0, -5, 14, 2, "completed", "深圳市福田区车公庙 泰然九路", "开机红灯闪烁"),
        (1, -6, 10, 2, "confirmed", "深圳市宝安区西乡街道 固戍社区", "电源板烧毁"),
    ]
    for n, (tech, offset, hour, hours, status, address, fault) in enumerate(plan):
        day = monday + timedelta(days=offset)
        visit = OnsiteVisit(client_id=huaxia.id, model_id=model_id, address=address, fault=fault,
                            contact_name="王磊", contact_phone="+86 755 8888 1234",
                            serials=f"HX55A24{n:02d}0001\nHX55A24{n:02d}0002", status=status,
                            technician_id=techs[tech].id, starts_at=_utc(day, hour), ends_at=_utc(day, hour + hours),
                            preferred_times="上午" if hour < 12 else "下午")
        if status in ("completed", "confirmed"):
            visit.outcome = "fixed" if n != 6 else "not_fixed"
            visit.follow_up_rma = n == 6
            visit.parts_used = "MB.MT9602.55A-02 ×1" if n != 7 else "PB.L55S150-02 ×1"
            visit.completed_at = visit.ends_at
            if status == "confirmed":
                visit.confirmed_at = visit.ends_at + timedelta(days=1)
                visit.client_feedback = "工程师准时，问题已解决。"
        db.session.add(visit)
    db.session.add(OnsiteVisit(client_id=huaxia.id, model_id=model_id, address="深圳市南山区蛇口工业八路 9 号",
                               fault="会议室 65 寸电视 HDMI 2 无信号", contact_name="张敏",
                               preferred_date=today + timedelta(days=3), preferred_times="周五下午"))


def _questions(today: date, clients: dict, bought: dict, quality: User, staff: User) -> None:
    now = datetime.now(timezone.utc)
    huaxia, pearl = clients["HUAXIA"], clients["PEARL"]
    hx_model = (bought.get(huaxia.id) or [None])[0]
    pl_model = (bought.get(pearl.id) or [hx_model])[0]
    answered = [
        (huaxia, hx_model, "开机后背光亮但无图像", "部分整机开机背光正常，但无图像，遥控可调音量。已更换遥控，无效。",
         "多为屏线（LVDS/V-by-One）接触不良：断电后重新插拔屏线并检查排线有无压伤；若仍无图像，按维修手册 4.2 节测量 T-CON 供电 12 V。"),
        (pearl, pl_model, "Standby light blinks twice, no power-on", "Units from the September batch blink twice and do not start.",
         "Two blinks means the power board's PFC stage failed its self-test. Replace the power board with the substitute "
         "listed in the substitute repair instruction; no main-board work is needed."),
    ]
    for client, model_id, subject, body, answer in answered:
        if model_id is None:
            continue
        question = TechQuestion(client_id=client.id, model_id=model_id, subject=subject, body=body, status="answered",
                                answer=answer, answered_by_id=staff.id, answered_at=now)
        db.session.add(question)
        db.session.flush()
        db.session.add(KnowledgeArticle(question_id=question.id, model_id=model_id, title=subject, question_text=body,
                                        answer=answer, published_at=now))
    if hx_model is not None:
        db.session.add(TechQuestion(client_id=huaxia.id, model_id=hx_model, subject="高温环境下画面闪烁",
                                    body="在 40°C 仓库内测试时，约 2 小时后画面闪烁，常温恢复。",
                                    status="escalated", escalated_to="qa", escalation_assignee_id=quality.id,
                                    escalation_due=today + timedelta(days=5), escalated_at=now,
                                    escalation_note="售后复现成功，疑似屏驱动 IC 温漂，请品管部确认批次。"))
        db.session.add(TechQuestion(client_id=huaxia.id, model_id=hx_model, subject="固件升级后 HDMI-CEC 失效",
                                    body="升级到 V2.3.1 后，通过 HDMI-CEC 无法控制回音壁。"))


def create_network(today: date, clients: dict) -> None:
    """Add the demo service network; `clients` by code (their shipments are in the session)."""
    db.session.flush()
    bought: dict[int, list[int]] = {}
    for client_id, model_id in db.session.execute(
            select(ShipmentLine.client_id, ShipmentLine.model_id).distinct().order_by(ShipmentLine.model_id)):
        bought.setdefault(client_id, []).append(model_id)
    from ..catalogue.models import ProductModel

    models = {m.code: m for m in db.session.scalars(select(ProductModel).order_by(ProductModel.code))}
    point = _stations(today, models)
    for code, rows in CLIENT_STATIONS.items():
        for station_code, name, city, region, address in rows:
            db.session.add(ClientStation(client_id=clients[code].id, code=station_code, name=name, city=city,
                                         region=region, address=address))
    staff = db.session.scalar(select(User).where(User.email == "service@odm.example.com"))
    quality = db.session.scalar(select(User).where(User.email == "quality@odm.example.com"))
    _service_point(today, point, clients, staff, bought)
    _onsite(today, clients, bought)
    _questions(today, clients, bought, quality, staff)
